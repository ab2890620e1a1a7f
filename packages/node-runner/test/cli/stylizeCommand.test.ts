import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import sharp from 'sharp';
import { assertCliBuilt, runBuiltCli } from '../helpers/builtCli.ts';
import { stripesJpeg } from '../helpers/images.ts';

const shallow = ['--style-layers', 'block1_conv2,block2_conv2', '--content-layers', 'block2_conv2'];

let dir: string;
let content: string;
let style: string;
let blackMask: string;
let leftMask: string;

before(async () => {
  assertCliBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'pastiche-cli-'));
  // A smooth gradient as content, a hard-edged stripe pattern as style.
  const gradient = Buffer.alloc(48 * 36 * 3);
  for (let y = 0; y < 36; y++) for (let x = 0; x < 48; x++) gradient.set([x * 5, y * 7, 128], (y * 48 + x) * 3);
  content = path.join(dir, 'content.png');
  await sharp(gradient, { raw: { width: 48, height: 36, channels: 3 } }).png().toFile(content);
  style = path.join(dir, 'style.jpg');
  await writeFile(style, await stripesJpeg(40, 40));
  blackMask = path.join(dir, 'black.png');
  await sharp({ create: { width: 10, height: 10, channels: 3, background: '#000' } }).png().toFile(blackMask);
  // White on the left half, 20×10: any size is stretched to the content.
  leftMask = path.join(dir, 'left.png');
  await sharp(Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 20 < 10 ? 255 : 0))), { raw: { width: 20, height: 10, channels: 1 } }).png().toFile(leftMask);
});

describe('pastiche stylize', () => {
  test('paints a PNG of the requested size, with snapshots and a GIF', async () => {
    const out = path.join(dir, 'out.png');
    const snapshots = path.join(dir, 'snaps');
    const gif = path.join(dir, 'progress.gif');
    const r = await runBuiltCli(['stylize', '--content', content, '--style', style, '--style', style, '--style-weights', '0.7,0.3', '--size', '32',
      '--evaluations', '4', '--snapshot-every', '2', '--snapshots', snapshots, '--gif', gif, '--seed', '3', '--out', out, ...shallow]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^backend: onnx-cpu on .+ \(not used: onnx-cuda: /m);
    assert.match(r.stderr, /wrote .*out\.png \(32×24\)/);
    const meta = await sharp(out).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['png', 32, 24]);
    assert.deepEqual(await readdir(snapshots), ['snapshot-0002.png', 'snapshot-0004.png']);
    const gifMeta = await sharp(gif, { animated: true }).metadata();
    assert.equal(gifMeta.format, 'gif');
    assert.equal(gifMeta.pages, 3); // two snapshots and the result
  });

  test('writes JPEG and WebP by extension, multi-scale', async () => {
    for (const ext of ['jpg', 'webp']) {
      const out = path.join(dir, `out.${ext}`);
      const r = await runBuiltCli(['stylize', '--content', content, '--style', style, '--size', '40', '--scales', '2', '--evaluations', '2,2', '--out', out, ...shallow]);
      assert.equal(r.code, 0, r.stderr);
      const meta = await sharp(out).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], [ext === 'jpg' ? 'jpeg' : 'webp', 40, 30]);
      assert.match(r.stderr, /^scales: 20×15 2 evaluations in [\d.]+s; 40×30 2 evaluations in [\d.]+s$/m);
    }
  });

  test('--help explains every option with its default', async () => {
    const r = await runBuiltCli(['stylize', '--help']);
    assert.equal(r.code, 0);
    for (const flag of ['--style-weight X', '--tv-weight X', '--preserve-colors', '--scales X', '--normalization X', '--backend NAME', '--gif FILE']) {
      assert.ok(r.stdout.includes(flag), `help lacks ${flag}`);
    }
    assert.match(r.stdout, /--size X\s+longest side of the result, px \(default 512/);
  });

  test('--dry-run prints each scale’s plan, tiles as laid out, and paints nothing', async () => {
    const out = path.join(dir, 'dry.png');
    const r = await runBuiltCli(['stylize', '--dry-run', '--content', content, '--style', style, '--size', '2048', '--scales', '2', '--max-memory', '2GB',
      '--backend', 'onnx-cpu', '--out', out, ...shallow]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /plan on onnx-cpu, memory budget 2\.00 GB:/);
    const fine = r.stdout.split('\n').find((line) => /^2\s+2048×1536\s/.test(line));
    assert.ok(fine, `no row for the 2048×1536 scale:\n${r.stdout}`);
    // 2048×1536 to block2_conv2 needs about 3 GB untiled: tiles, each interior within the image and laid out evenly.
    const [, tiles, width, height] = /(\d+) of (\d+)×(\d+) px/.exec(fine)!.map(Number);
    assert.ok(tiles > 1 && tiles === Math.ceil(2048 / width) * Math.ceil(1536 / height), fine);
    assert.match(fine, /\d+(\.\d+)? (MB|GB)\s+≈ /, 'peak memory and time per evaluation');
    assert.equal(existsSync(out), false);
  });

  test('--dry-run without --scales or --evaluations prints the auto schedule for the content’s shape, its time an upper bound', async () => {
    const rows = (stdout: string) => stdout.split('\n').filter((line) => /^\d+\s+\d+×\d+\s/.test(line)).map((line) => line.split(/\s{2,}/));
    const r = await runBuiltCli(['stylize', '--dry-run', '--content', content, '--size', '512', '--backend', 'onnx-cpu', ...shallow]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(rows(r.stdout).map((cells) => [cells[1], cells.at(-1)]), [['128×96', '40'], ['256×192', '40'], ['512×384', '60']]);
    assert.match(r.stdout, /at most about .* in all if every scale spends its budget \(a scale ends sooner once its loss stops falling\)/);
    // 400 × 2: at 256 px it would be 1 px high, too little for block2_conv2 (2 px): one scale.
    const strip = path.join(dir, 'strip.png');
    await sharp({ create: { width: 400, height: 2, channels: 3, background: '#888' } }).png().toFile(strip);
    const thin = await runBuiltCli(['stylize', '--dry-run', '--content', strip, '--size', '512', '--backend', 'onnx-cpu', ...shallow]);
    assert.equal(thin.code, 0, thin.stderr);
    assert.deepEqual(rows(thin.stdout).map((cells) => cells[1]), ['512×3']);
  });

  test('paints in a process started with glibc’s malloc tuning (Linux; elsewhere in this one)', async () => {
    const preload = path.join(dir, 'tunables.cjs');
    await writeFile(preload, `process.on('exit', () => process.stderr.write('tunables=' + process.env.GLIBC_TUNABLES + '\\n'));`);
    const r = await runBuiltCli(['stylize', '--content', content, '--style', style, '--size', '32', '--evaluations', '2', '--quiet', '--out', path.join(dir, 'tuned.png'), ...shallow], {
      nodeArgs: ['-r', preload],
      env: { GLIBC_TUNABLES: undefined },
    });
    assert.equal(r.code, 0, r.stderr);
    const seen = [...r.stderr.matchAll(/tunables=(.*)/g)].map((m) => m[1]);
    assert.deepEqual(seen, process.platform === 'linux' ? ['glibc.malloc.mmap_threshold=4194304:glibc.malloc.hugetlb=1', 'undefined'] : ['undefined']);
  });

  test('a content file that is not an image is refused before any weights are downloaded', async () => {
    const text = path.join(dir, 'notes.png');
    await writeFile(text, 'this is text, not a picture');
    let requests = 0;
    const server = createServer((_, res) => {
      requests++;
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const r = await runBuiltCli(['stylize', '--content', text, '--style', style, '--out', path.join(dir, 'never.png')], { weights: `http://127.0.0.1:${port}/vgg16/model.json` });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--content .*notes\.png is not an image/);
      assert.equal(requests, 0, 'the weights host was asked before the inputs were checked');
    } finally {
      server.close();
    }
  });

  test('paints with a style mask per style ("-" for everywhere) and a content mask', async () => {
    const out = path.join(dir, 'masked.png');
    const r = await runBuiltCli(['stylize', '--content', content, '--style', style, '--style-mask', leftMask, '--style', style, '--style-mask', '-', '--content-mask', leftMask,
      '--size', '32', '--evaluations', '3', '--seed', '3', '--out', out, ...shallow]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote .*masked\.png \(32×24\)/);
  });

  const failures: Array<[string, string[], RegExp]> = [
    ['a missing content file', ['--content', 'nope.png'], /--content: cannot read nope\.png: no such file/],
    ['a style that is not an image', ['--style', 'TEXT'], /--style .*not an image/],
    ['a layer the weights lack', ['--style-layers', 'block1_conv2,block4_conv3'], /--style-layers: the vgg16 weights in use lack layer "block4_conv3"; layers present: block1_conv1, .*block3_conv3/],
    ['an unknown layer name', ['--content-layers', 'block9_conv1'], /--content-layers\[0\]: expected a layer name/],
    ['a negative weight', ['--style-weight=-1'], /--style-weight: expected a number from 0 .*got -1/],
    ['a weight that is not a number', ['--tv-weight', 'lots'], /--tv-weight: expected a number from 0 .*got "lots"/],
    ['size 0', ['--size', '0'], /--size: expected an integer from 16 to 8192, got 0/],
    ['a size above the limit', ['--size', '100000'], /--size: expected an integer from 16 to 8192, got 100000/],
    ['a wrong enum value', ['--model', 'vgg11'], /--model: expected one of vgg16, vgg19, got "vgg11"/],
    ['style weights that do not match the styles', ['--style-weights', '1,2'], /--style-weights: expected 1 comma-separated weights/],
    ['an unknown flag', ['--colour', 'x'], /Unknown option '--colour'/],
    ['an output format we do not write', ['--out', 'OUT.bmp'], /--out: .*must end in \.png/],
    ['more style masks than styles', ['--style-mask', 'LEFT', '--style-mask=LEFT'], /--style-mask: expected one per --style \(1\), in order \("-" for everywhere\), got 2/],
    ['an unreadable style mask', ['--style-mask', 'nope.png'], /--style-mask: cannot read nope\.png: no such file/],
    ['an all-black style mask', ['--style-mask', 'BLACK'], /--style-mask 1: the mask is empty \(every pixel black or transparent\)/],
    ['an all-black content mask', ['--content-mask', 'BLACK'], /--content-mask: the mask is empty/],
    ['the Wasserstein style loss under the notebook normalization', ['--style-loss', 'wasserstein', '--normalization', 'notebook'], /--style-loss: .*no form under the notebook normalization/],
    ['an unknown style loss', ['--style-loss', 'sliced'], /--style-loss: expected one of gram, wasserstein, got "sliced"/],
  ];
  for (const [what, override, message] of failures) {
    test(`refuses ${what} with one clear line and leaves no output`, async () => {
      const out = path.join(dir, `failed-${what.replace(/\W+/g, '-')}.png`);
      const text = path.join(dir, 'not-an-image.jpg');
      await writeFile(text, 'this is text, not a picture');
      const args: Record<string, string> = { '--content': content, '--style': style, '--out': out, '--size': '32', '--evaluations': '2' };
      const inline = override.filter((token) => token.includes('='));
      const pairs = override.filter((token) => !token.includes('='));
      const files = (value: string) => value.replace('TEXT', text).replace('OUT', path.join(dir, 'out')).replace('BLACK', blackMask).replace('LEFT', leftMask);
      for (let i = 0; i < pairs.length; i += 2) args[pairs[i]] = files(pairs[i + 1]);
      const flat = [...Object.entries(args).flat(), ...inline.map(files)];
      const r = await runBuiltCli(['stylize', ...flat, ...(override.includes('--style-layers') ? [] : ['--style-layers', 'block1_conv2'])]);
      assert.notEqual(r.code, 0);
      const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('backend:'));
      assert.equal(lines.length, 1, `expected one line, got:\n${r.stderr}`);
      assert.match(lines[0], message);
      assert.ok(!existsSync(out), 'no output file may be left behind');
      assert.deepEqual((await readdir(dir)).filter((f) => f.includes('.partial')), []);
    });
  }
});
