import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { assertCliBuilt, runBuiltCli } from '../helpers/builtCli.ts';
import { repoRoot } from '../helpers/paths.ts';

const images = path.resolve(repoRoot, '../shared/images');

/** Runs the built CLI in `cwd`; `stopWhen`: SIGTERM it once its stderr matches. */
const run = (args: string[], cwd: string, stopWhen?: RegExp) => runBuiltCli(args, { cwd, stopWhen });

let dir: string;
const paint = (out: string, ...more: string[]) => [
  'stylize', '--content', 'content.jpg', '--style', 'style.jpg', '--out', out, '--size', '64', '--scales', '2', '--evaluations', '10,30',
  '--style-layers', 'block1_conv2,block2_conv2,block3_conv3', '--backend', 'onnx-cpu', '--seed', '11', ...more,
];

before(async () => {
  assertCliBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'pastiche-resume-'));
  await copyFile(path.join(images, 'tubingen.jpg'), path.join(dir, 'content.jpg'));
  await copyFile(path.join(images, 'starry_night.jpg'), path.join(dir, 'style.jpg'));
});

describe('pastiche stylize checkpoints (the built CLI, onnx-cpu, 64 px)', () => {
  test('SIGTERM mid-run writes a last checkpoint and says how to resume; --resume (from elsewhere) refuses a changed input, then finishes with the bytes of an uninterrupted run and removes the checkpoint', async () => {
    const uninterrupted = await run(paint('whole.png', '--no-checkpoint'), dir);
    assert.equal(uninterrupted.code, 0, uninterrupted.stderr);
    assert.ok(!existsSync(path.join(dir, 'whole.png.pastiche-checkpoint')), '--no-checkpoint wrote a checkpoint');

    // Stopped in the second scale, between the progress lines of its 1st and 10th evaluations.
    const stopped = await run(paint('resumed.png'), dir, /scale 2\/2 \S+ eval 1\//);
    const checkpoint = path.join(dir, 'resumed.png.pastiche-checkpoint');
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /^pastiche: stopped; evaluation (1[1-9]|2\d) of 40 is in resumed\.png\.pastiche-checkpoint: continue with pastiche stylize --resume resumed\.png\.pastiche-checkpoint\n$/m);
    assert.ok(existsSync(checkpoint) && !existsSync(path.join(dir, 'resumed.png')), 'the checkpoint is there, the result not');

    const again = await run(paint('resumed.png'), dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /^pastiche: resumed\.png\.pastiche-checkpoint holds a stopped run: continue it with pastiche stylize --resume resumed\.png\.pastiche-checkpoint, or remove it to start afresh\n$/);

    const original = await readFile(path.join(dir, 'content.jpg'));
    await copyFile(path.join(images, 'the_scream.jpg'), path.join(dir, 'content.jpg'));
    const changed = await run(['stylize', '--resume', checkpoint], repoRoot);
    assert.equal(changed.code, 2, changed.stderr);
    assert.match(changed.stderr, /--resume: .*resumed\.png\.pastiche-checkpoint: checkpoint is of another run: the content was "\d+×\d+ sha256:[0-9a-f]{64}", is "/);
    await writeFile(path.join(dir, 'content.jpg'), original);

    const resumed = await run(['stylize', '--resume', checkpoint, '--quiet'], repoRoot);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /wrote resumed\.png \(64×48\).*: 40 evaluations/);
    assert.ok((await readFile(path.join(dir, 'resumed.png'))).equals(await readFile(path.join(dir, 'whole.png'))), 'the resumed result differs from the uninterrupted one');
    assert.ok(!existsSync(checkpoint), 'the checkpoint is removed after success');
  });

  test('--resume refuses, in one line each: a missing file, what is not a checkpoint, a corrupt one, and other flags beside it', async () => {
    await writeFile(path.join(dir, 'junk'), 'not a checkpoint');
    const cases: Array<[string[], RegExp]> = [
      [['--resume', 'missing'], /^pastiche: --resume: .*missing does not exist\n$/],
      [['--resume', 'junk'], /^pastiche: --resume: .*junk: not a Pastiche checkpoint \(its first bytes are not the checkpoint signature\)\n$/],
      [['--resume', 'junk', '--size', '64'], /^pastiche: --resume takes no --size: the run's flags are in the checkpoint\n$/],
      [[...paint('x.png'), '--checkpoint', 'c', '--no-checkpoint'], /^pastiche: --checkpoint and --no-checkpoint: give one or the other\n$/],
    ];
    const stopped = await run(paint('corrupt.png'), dir, /scale 1\/2 \S+ eval 1\//);
    assert.equal(stopped.code, 130, stopped.stderr);
    const bytes = await readFile(path.join(dir, 'corrupt.png.pastiche-checkpoint'));
    bytes[bytes.length >> 1] ^= 1;
    await writeFile(path.join(dir, 'corrupt.png.pastiche-checkpoint'), bytes);
    cases.push([['--resume', 'corrupt.png.pastiche-checkpoint'], /^pastiche: --resume: .*corrupt\.png\.pastiche-checkpoint: checkpoint corrupt: its checksum does not match its contents\n$/]);
    for (const [args, message] of cases) {
      const r = await run(args[0] === 'stylize' ? args : ['stylize', ...args], dir);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
    }
  });
});
