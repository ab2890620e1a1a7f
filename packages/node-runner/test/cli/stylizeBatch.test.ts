import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import sharp from 'sharp';
import { assertCliBuilt, runBuiltCli, startBuiltCli } from '../helpers/builtCli.ts';
import { stripesJpeg } from '../helpers/images.ts';

// Batches through the built CLI on the real blocks 1–3 weights: several contents, one style, --out-dir.
const small = ['--style-layers', 'block1_conv2,block2_conv2', '--content-layers', 'block2_conv2', '--size', '32', '--seed', '5', '--backend', 'onnx-cpu'];

let dir: string;
let folder: string;
let style: string;
const gradient = (seed: number) => {
  const pixels = Buffer.alloc(40 * 30 * 3);
  for (let y = 0; y < 30; y++) for (let x = 0; x < 40; x++) pixels.set([(x * seed * 3) % 256, (y * 8 + seed * 40) % 256, 100 + seed * 30], (y * 40 + x) * 3);
  return sharp(pixels, { raw: { width: 40, height: 30, channels: 3 } });
};

before(async () => {
  assertCliBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'pastiche-batch-'));
  folder = path.join(dir, 'frames');
  await mkdir(folder);
  await gradient(1).png().toFile(path.join(folder, 'a.png'));
  await gradient(2).jpeg().toFile(path.join(folder, 'b.jpg'));
  await writeFile(path.join(folder, 'notes.txt'), 'not an image, and not taken: it is no image file');
  await gradient(3).png().toFile(path.join(dir, 'c.png'));
  style = path.join(dir, 'style.jpg');
  await writeFile(style, await stripesJpeg(40, 40));
});

describe('pastiche stylize with several contents', () => {
  test('a folder and a file give 3 results, the style’s targets computed once and reused for the other two', async () => {
    const out = path.join(dir, 'out');
    const r = await runBuiltCli(['stylize', '--content', folder, '--content', path.join(dir, 'c.png'), '--style', style, '--evaluations', '3', '--out-dir', out, ...small]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await readdir(out)).sort(), ['a.png', 'b.png', 'c.png']);
    for (const name of ['a', 'b', 'c']) assert.deepEqual(((m) => [m.format, m.width, m.height])(await sharp(path.join(out, `${name}.png`)).metadata()), ['png', 32, 24]);
    assert.match(r.stderr, /^1 of 3 a\.png: 32×24 eval 1\/3 /m, 'progress says which of the batch it is');
    assert.match(r.stderr, /^3 of 3 c\.png: 32×24 eval 3\/3 /m);
    assert.match(r.stderr, /batch: 3 of 3 written to .* style targets computed 1 times, reused 2 times$/m);
  });

  test('an unreadable content fails alone, by name; the others are written and the exit code says one failed', async () => {
    const broken = path.join(dir, 'broken.png');
    await writeFile(broken, 'this is not a PNG');
    const out = path.join(dir, 'out-broken');
    const contents = [path.join(folder, 'a.png'), broken, path.join(dir, 'c.png')].flatMap((c) => ['--content', c]);
    const r = await runBuiltCli(['stylize', ...contents, '--style', style, '--evaluations', '2', '--out-dir', out, ...small]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^2 of 3 broken\.png failed: --content .*broken\.png is not an image/m);
    assert.match(r.stderr, /pastiche: 1 of 3 contents failed: broken\.png$/m);
    assert.deepEqual((await readdir(out)).sort(), ['a.png', 'c.png']);
  });

  test('Ctrl-C stops the rest and keeps what finished', async () => {
    const out = path.join(dir, 'out-cancelled');
    const contents = ['a.png', 'b.jpg'].map((name) => path.join(folder, name)).concat(path.join(dir, 'c.png')).flatMap((c) => ['--content', c]);
    const batch = startBuiltCli(['stylize', ...contents, '--style', style, '--evaluations', '120', '--out-dir', out, ...small.map((a) => (a === '32' ? '64' : a))]);
    // Interrupted once the second content is painting: the first is written.
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (/^2 of 3 b\.jpg: /m.test(batch.stderr())) {
          clearInterval(timer);
          resolve();
        }
        if (batch.child.exitCode !== null) reject(new Error(`ended before the second content: ${batch.stderr()}`));
      }, 100);
    });
    batch.child.kill('SIGINT');
    const r = await batch.exited;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /pastiche: cancelled at 2 of 3; kept the 1 finished in /);
    assert.deepEqual(await readdir(out), ['a.png']);
  });

  test('refuses what a batch cannot do, and several contents without --out-dir, with one line each', async () => {
    const other = path.join(dir, 'other');
    await mkdir(other, { recursive: true });
    await gradient(4).png().toFile(path.join(other, 'a.png'));
    const two = ['--content', path.join(folder, 'a.png'), '--content', path.join(dir, 'c.png')];
    const cases: Array<[string[], string]> = [
      [[...two, '--out', path.join(dir, 'x.png')], 'pastiche: --out-dir: 2 contents need a folder for their results (--out names one result)'],
      [['--content', folder, '--out', path.join(dir, 'x.png')], 'pastiche: --out-dir: 2 contents need a folder for their results (--out names one result)'],
      [[...two, '--out-dir', dir, '--init', path.join(dir, 'c.png')], 'pastiche: --init FILE refines one result: give one --content and --out'],
      [['--content', other, '--content', path.join(folder, 'a.png'), '--out-dir', dir], `pastiche: --out-dir: ${path.join(other, 'a.png')} and ${path.join(folder, 'a.png')} would both be written to ${path.join(dir, 'a.png')}; rename one`],
    ];
    for (const [args, message] of cases) {
      const r = await runBuiltCli(['stylize', ...args, '--style', style]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim(), message);
    }
  });
});
