import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import sharp from 'sharp';
import { assertCliBuilt, runBuiltCli } from '../helpers/builtCli.ts';
import { stripesJpeg } from '../helpers/images.ts';

// --seamless and --texture through the built CLI on the real blocks 1–3 weights (the seam itself is measured in
// packages/core/test/seamlessRun.test.ts).
const shallow = ['--style-layers', 'block1_conv2,block2_conv2', '--content-layers', 'block2_conv2', '--evaluations', '4', '--seed', '3'];

const run = (args: string[]) => runBuiltCli(['stylize', ...args]);

let dir: string;
let style: string;
let content: string;

before(async () => {
  assertCliBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'pastiche-seamless-'));
  style = path.join(dir, 'style.jpg');
  await writeFile(style, await stripesJpeg(40, 40));
  content = path.join(dir, 'content.png');
  await sharp({ create: { width: 50, height: 30, channels: 3, background: '#3a7' } }).png().toFile(content);
});

describe('pastiche stylize --texture and --seamless', () => {
  test('--texture 64x48 --seamless paints a 64×48 pattern from the style alone', async () => {
    const out = path.join(dir, 'texture.png');
    const r = await run(['--texture', '64x48', '--seamless', '--style', style, ...shallow, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const meta = await sharp(out).metadata();
    assert.deepEqual([meta.width, meta.height], [64, 48]);
  });

  test('--seamless rounds each side to a multiple of 2^pools (4 through block 3, after two pools): 50×30 becomes 52×32', async () => {
    const out = path.join(dir, 'seamless.png');
    const r = await run(['--content', content, '--seamless', '--size', '50', '--style', style, ...shallow, '--style-layers', 'block1_conv2,block3_conv1', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const meta = await sharp(out).metadata();
    assert.deepEqual([meta.width, meta.height], [52, 32]);
  });

  for (const [label, args, message] of [
    ['with --content', ['--texture', '64x48', '--content', 'x.png'], /give --texture or --content, not both/],
    ['with a content weight', ['--texture', '64', '--content-weight', '1'], /--content-weight: a texture has no content to keep/],
    ['with init content', ['--texture', '64', '--init', 'content'], /--init: a texture starts from noise/],
    ['too small', ['--texture', '10x40'], /--texture: each side must be 16 to 8192 px, got 10×40/],
    ['not a size', ['--texture', 'big'], /--texture: expected WxH/],
  ] as const) {
    test(`--texture ${label} is refused by name, exit 2`, async () => {
      const r = await run([...args, '--style', style, '--out', path.join(dir, 'never.png')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
    });
  }
});
