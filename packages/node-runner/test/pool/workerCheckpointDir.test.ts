import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createWorkerCheckpointDir } from '../../src/pool/workerCheckpointDir.ts';

test("a starting worker removes the checkpoint folders of this host's dead workers, and only theirs", async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'pastiche-worker-root-'));
  t.after(() => rm(root, { recursive: true, force: true }));
  const dead = spawnSync(process.execPath, ['-e', '']).pid!; // exited: its id names no process now
  const folders = {
    dead: `pastiche-worker-checkpoints-${dead}-AbC123`,
    alive: `pastiche-worker-checkpoints-${process.pid}-XyZ789`,
    unnamed: 'pastiche-worker-checkpoints-Qw12Er', // an older worker's name, without its pid
    other: 'something-else',
  };
  for (const name of Object.values(folders)) {
    await mkdir(path.join(root, name));
    await writeFile(path.join(root, name, 'job.checkpoint'), 'x');
  }
  const created = await createWorkerCheckpointDir(root);
  assert.match(path.basename(created), new RegExp(`^pastiche-worker-checkpoints-${process.pid}-`));
  assert.deepEqual((await readdir(root)).sort(), [folders.alive, folders.other, folders.unnamed, path.basename(created)].sort());
});
