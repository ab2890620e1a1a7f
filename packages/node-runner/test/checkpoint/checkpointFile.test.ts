import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readCheckpointFile } from '../../src/checkpoint/checkpointFile.ts';

describe('writeCheckpointFile', () => {
  it('leaves the previous checkpoint whole when the process is killed (SIGKILL) in mid-write', async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pastiche-checkpoint-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'run.pastiche-checkpoint');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'writeCheckpointsForever.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const partial = `${file}.${child.pid}.partial`;
    let written = 0;
    child.stdout.on('data', (d: Buffer) => (written = Number(/wrote (\d+)\n$/.exec(String(d))?.[1] ?? written)));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Once checkpoint 1 is whole, kill the writer as soon as the next one is being written (its temporary file exists).
    try {
      for (;;) {
        if (written >= 1 && existsSync(partial)) break;
        if (written >= 20) assert.fail('20 checkpoints written without a temporary file: the writes are not atomic');
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    assert.ok(existsSync(partial), 'killed in mid-write: the temporary file is left');
    const kept = await readCheckpointFile(file);
    // The last whole one: what was written when the partial one was started.
    assert.ok(kept.position.totalEvaluations >= 1 && kept.position.totalEvaluations <= written, `kept checkpoint ${kept.position.totalEvaluations}, ${written} written`);
    assert.equal(kept.optimizer?.x[12345], kept.position.totalEvaluations);
  });
});
