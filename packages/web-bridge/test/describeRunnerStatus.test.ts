import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeRunnerStatus } from '../src/ui/describeRunnerStatus.ts';
import { health } from './helpers/health.ts';

const url = 'http://localhost:7878';
const busy = (running: number, queued: number) => ({ state: 'busy' as const, health: health({ queue: { running, queued } }) });

test('no runner is the normal state unless the runner was chosen', () => {
  assert.deepEqual(describeRunnerStatus({ state: 'not-running' }, url), { tone: 'neutral', text: 'No runner at localhost:7878. Optional: pastiche serve paints big renders on this computer.' });
  assert.deepEqual(describeRunnerStatus({ state: 'not-running' }, url, true), { tone: 'bad', text: 'Runner not running at localhost:7878. Start it with pastiche serve.' });
});

test("the panel's own job is never counted as one ahead of it", () => {
  assert.equal(describeRunnerStatus(busy(1, 0), url).text, 'Runner busy · 1 job ahead');
  assert.deepEqual(describeRunnerStatus(busy(1, 0), url, false, 1), { tone: 'good', text: 'Runner painting your job · onnx-cuda, GPU' });
  assert.deepEqual(describeRunnerStatus(busy(1, 2), url, false, 1), { tone: 'warn', text: 'Runner busy · 2 other jobs' });
});
