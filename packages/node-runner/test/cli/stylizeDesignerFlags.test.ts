import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import sharp from 'sharp';
import { assertCliBuilt, runBuiltCli } from '../helpers/builtCli.ts';
import { stripesJpeg } from '../helpers/images.ts';
import { repoRoot } from '../helpers/paths.ts';

// Style presets, transparency kept and --init, through the built CLI on the real blocks 1–3 weights.
const shallow = ['--style-layers', 'block1_conv2,block2_conv2', '--content-layers', 'block2_conv2'];

const alphaOf = async (file: string) => (await sharp(file).ensureAlpha().extractChannel(3).raw().toBuffer());

let dir: string;
let content: string;
let style: string;

before(async () => {
  assertCliBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'pastiche-designer-'));
  // 48×36: a gradient with a transparent disc (black under it) in the middle, its rim antialiased.
  const pixels = Buffer.alloc(48 * 36 * 4);
  for (let y = 0; y < 36; y++) {
    for (let x = 0; x < 48; x++) {
      const coverage = Math.min(1, Math.max(0, Math.hypot(x + 0.5 - 24, y + 0.5 - 18) - 8));
      pixels.set(coverage === 0 ? [0, 0, 0, 0] : [x * 5, y * 7, 128, Math.round(255 * coverage)], (y * 48 + x) * 4);
    }
  }
  content = path.join(dir, 'cutout.png');
  await sharp(pixels, { raw: { width: 48, height: 36, channels: 4 } }).png().toFile(content);
  style = path.join(dir, 'style.jpg');
  await writeFile(style, await stripesJpeg(40, 40));
});

describe('style presets', () => {
  test('pastiche presets and stylize --help list every preset with its credit', async () => {
    for (const args of [['presets'], ['stylize', '--help']]) {
      const r = await runBuiltCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /preset:starry-night\s+The Starry Night, Vincent van Gogh \(1889\), public domain/);
      assert.match(r.stdout, /preset:the-scream\s+The Scream, Edvard Munch \(1893\), public domain/);
      assert.match(r.stdout, /preset:shipwreck\s+The Shipwreck, J\. M\. W\. Turner \(1805\), public domain/);
      assert.match(r.stdout, /preset:woman-with-hat\s+Woman with a Hat, Henri Matisse \(1905\), public domain/);
    }
  });

  test('a run with a preset, blended with a file, equals the run with the preset’s file passed by path', async () => {
    const shipped = path.join(repoRoot, 'packages/web-bridge/src/presets/style-presets/the-scream.jpg');
    const common = ['--content', content, '--style', style, '--style-weights', '0.4,0.6', '--size', '32', '--evaluations', '3', '--seed', '7', ...shallow];
    const [byPreset, byPath] = [path.join(dir, 'preset.png'), path.join(dir, 'path.png')];
    const a = await runBuiltCli(['stylize', ...common, '--style', 'preset:the-scream', '--out', byPreset]);
    const b = await runBuiltCli(['stylize', ...common, '--style', shipped, '--out', byPath]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.ok((await readFile(byPreset)).equals(await readFile(byPath)), 'the two results differ');
  });

  test('an unknown preset is refused with one line naming the presets', async () => {
    const r = await runBuiltCli(['stylize', '--content', content, '--style', 'preset:mona-lisa', '--out', path.join(dir, 'never.png')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim(), 'pastiche: --style: no preset "mona-lisa"; the presets are preset:starry-night, preset:the-scream, preset:shipwreck, preset:woman-with-hat (pastiche presets)');
  });
});

describe('transparency', () => {
  test('a cut-out gives PNG and WebP results with exactly its alpha', async () => {
    for (const ext of ['png', 'webp']) {
      const out = path.join(dir, `cutout-out.${ext}`);
      const r = await runBuiltCli(['stylize', '--content', content, '--style', style, '--size', '48', '--evaluations', '4', '--out', out, ...shallow]);
      assert.equal(r.code, 0, r.stderr);
      assert.ok((await alphaOf(out)).equals(await alphaOf(content)), `${ext}: the alpha differs from the content's`);
    }
  });
});

describe('--init FILE', () => {
  const firstAndFinalLoss = (stderr: string) => {
    const first = /eval 1\/\d+ loss (\S+)/.exec(stderr);
    const final = /wrote .* loss (\S+) \(/.exec(stderr);
    assert.ok(first && final, stderr);
    return [Number(first[1]), Number(final[1])];
  };

  test('continues a result: starts below the content’s loss and lowers it further', async () => {
    const [first, refined] = [path.join(dir, 'first.png'), path.join(dir, 'refined.png')];
    const common = ['--content', content, '--style', style, '--size', '48', '--evaluations', '12', '--seed', '3', ...shallow];
    const a = await runBuiltCli(['stylize', ...common, '--out', first]);
    assert.equal(a.code, 0, a.stderr);
    const b = await runBuiltCli(['stylize', ...common, '--init', first, '--out', refined]);
    assert.equal(b.code, 0, b.stderr);
    const [[fromContent], [fromResult, refinedEnd]] = [firstAndFinalLoss(a.stderr), firstAndFinalLoss(b.stderr)];
    assert.ok(fromResult < fromContent / 2, `the refined run starts at ${fromResult}, the first at ${fromContent}`);
    assert.ok(refinedEnd < fromResult, `the refined run ends at ${refinedEnd}, from ${fromResult}`);
  });

  test('under the auto schedule a refine is one full-size scale: a coarse one would throw the result’s detail away', async () => {
    const [first, refined] = [path.join(dir, 'auto-first.png'), path.join(dir, 'auto-refined.png')];
    const common = ['--content', content, '--style', style, '--size', '32', '--seed', '3', ...shallow];
    const a = await runBuiltCli(['stylize', ...common, '--evaluations', '8', '--out', first]);
    assert.equal(a.code, 0, a.stderr);
    const b = await runBuiltCli(['stylize', ...common, '--init', first, '--out', refined]);
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stderr, /^32×24 eval 1\/60 /m, 'one scale at 32 px with the finest budget');
    assert.doesNotMatch(b.stderr, /scale \d\/\d|16×12/, 'no coarse scale');
  });

  test('refuses an unreadable --init file and --init image without a file, with one line each', async () => {
    const missing = await runBuiltCli(['stylize', '--content', content, '--style', style, '--init', 'nope.png', '--out', path.join(dir, 'never.png')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr.trim(), /^pastiche: --init: cannot read nope\.png: no such file$/);
    const bare = await runBuiltCli(['stylize', '--content', content, '--style', style, '--init', 'image', '--out', path.join(dir, 'never.png')]);
    assert.equal(bare.code, 2);
    assert.equal(bare.stderr.trim(), 'pastiche: --init: give the image to start from as --init FILE');
  });
});
