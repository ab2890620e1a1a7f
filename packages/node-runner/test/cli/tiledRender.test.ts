import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { planScales, validateOptions } from '@pastiche/core';
import { assertCliBuilt, runBuiltCli } from '../helpers/builtCli.ts';
import { repoRoot } from '../helpers/paths.ts';

const shared = path.resolve(repoRoot, '../shared');
/** The crop across a tile border is kept here for a person to look at (no seam should show). */
const artifacts = path.join(repoRoot, 'test-artifacts');

const LAYERS = { styleLayers: ['block1_conv2', 'block2_conv2', 'block3_conv3'], contentLayers: ['block2_conv2'] };
// 1536 px, not a 2048 px poster: the same tiling at 57 % of the pixels (2048 px took 210–240 s a render in CI).
// At 1200 MB the content targets are kept beside the tiles; at 1100 MB the plan has the tiles compute them
// (larger tiles that way: with the host's arrays counted, session 14, keeping them would take tiles of 228 px).
// Measured peaks: 950 and 819 MiB at session 13's 1200 and 1000 MB (docs/tests.md), below the budgets by the
// L-BFGS pairs that two evaluations leave unused.
const SIZE = 1536;
const CASES = [
  { budget: '1200MB', contentPerTile: false },
  { budget: '1100MB', contentPerTile: true },
];

for (const { budget, contentPerTile } of CASES) {
  const how = contentPerTile ? 'content features computed per tile' : 'content targets kept';
  test(`a ${SIZE} px render under --max-memory ${budget}, which the untiled run exceeds, runs in tiles (${how}), stays under it and writes ${SIZE} px`, async () => {
    assertCliBuilt();
    const options = validateOptions({ ...LAYERS, size: SIZE, maxMemory: budget, evaluations: 2 });
    const shape: [number, number] = [SIZE * 0.75, SIZE];
    const [untiled] = planScales({ ...options, maxMemory: undefined }, [shape]);
    assert.ok(untiled.peakBytes > options.maxMemory!, `untiled needs about ${(untiled.peakBytes / 2 ** 30).toFixed(1)} GB`);
    assert.equal(planScales(options, [shape])[0].contentPerTile ?? false, contentPerTile, `the plan under ${budget}`);

    const dir = await mkdtemp(path.join(tmpdir(), 'pastiche-tiled-'));
    try {
      const out = path.join(dir, 'poster.png');
      const peak = path.join(dir, 'peak.cjs');
      // The CLI's peak resident memory, reported as it exits, by the process that paints (stylize relaunches
      // itself with the malloc tuning, passing this preload on) and by the one that relaunched it.
      await writeFile(peak, `process.on('exit', () => process.stderr.write('peak-rss-kb ' + process.resourceUsage().maxRSS + '\\n'));`);
      const args = ['stylize', '--content', path.join(shared, 'images/tubingen.jpg'), '--style', path.join(shared, 'images/starry_night.jpg'),
        '--weights', path.join(shared, 'models/vgg16'), '--backend', 'onnx-cpu', '--size', String(SIZE), '--evaluations', '2', '--max-memory', budget,
        '--style-layers', LAYERS.styleLayers.join(','), '--content-layers', LAYERS.contentLayers.join(','), '--seed', '1', '--quiet', '--out', out];
      const { code, stderr } = await runBuiltCli(args, { nodeArgs: ['-r', peak] });
      assert.equal(code, 0, stderr);
      const tiled = /the (\d+)×(\d+) scale ran in (\d+) tiles of (\d+)×(\d+) px \(\d+ L-BFGS pairs(, content features computed per tile)?\)/.exec(stderr);
      assert.ok(tiled && Number(tiled[3]) > 1, `the run was tiled: ${stderr}`);
      assert.equal(tiled[6] !== undefined, contentPerTile, `the run says how it had its content targets: ${tiled[0]}`);
      const peaks = [...stderr.matchAll(/peak-rss-kb (\d+)/g)].map((m) => Number(m[1]) * 1024);
      assert.equal(peaks.length, 2, `both processes report their peak: ${stderr}`);
      const peakBytes = Math.max(...peaks);
      assert.ok(peakBytes <= options.maxMemory!, `peak RSS ${(peakBytes / 2 ** 30).toFixed(2)} GB over ${budget}`);
      const meta = await sharp(out).metadata();
      assert.equal(Math.max(meta.width!, meta.height!), SIZE);

      // A 256 px crop centred on the tile corner nearest the middle (interiors start at multiples of their sides).
      const [tileWidth, tileHeight] = [Number(tiled[4]), Number(tiled[5])];
      const corner = (length: number, side: number) => Math.min(length - 128, Math.max(128, Math.round(length / 2 / side) * side));
      await mkdir(artifacts, { recursive: true });
      const crop = { left: corner(meta.width!, tileWidth) - 128, top: corner(meta.height!, tileHeight) - 128, width: 256, height: 256 };
      await sharp(out).extract(crop).png().toFile(path.join(artifacts, `tile-border-crop${contentPerTile ? '-content-per-tile' : ''}.png`));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
