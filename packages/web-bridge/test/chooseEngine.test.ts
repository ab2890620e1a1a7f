import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseEngine, DEFAULT_IN_PAGE_MAX_SIDE, type RunnerStatus } from '../src/index.ts';
import { health, ready } from './helpers/health.ts';

const notRunning: RunnerStatus = { state: 'not-running' };
const notPaired: RunnerStatus = { state: 'not-paired', health: health() };
const busy: RunnerStatus = { state: 'busy', health: health({ queue: { running: 1, queued: 2 } }) };

describe('chooseEngine', () => {
  it('paints small renders in the page even with a runner ready', () => {
    const choice = chooseEngine({ outputSide: 256, runner: ready(), preference: 'auto' });
    assert.deepEqual(choice, { kind: 'in-page', reason: 'A 256 px render is quick in this page.' });
  });

  it('sends renders above the in-page limit to a ready runner, naming its backend', () => {
    const choice = chooseEngine({ outputSide: 2048, runner: ready(), preference: 'auto' });
    assert.equal(choice.kind, 'runner');
    assert.match(choice.reason, /2048 px is above this page's limit of 512 px: painting on the runner \(onnx-cuda, GPU\)/);
  });

  it('uses the limit given, the default being DEFAULT_IN_PAGE_MAX_SIDE', () => {
    assert.equal(chooseEngine({ outputSide: DEFAULT_IN_PAGE_MAX_SIDE, runner: ready(), preference: 'auto' }).kind, 'in-page');
    assert.equal(chooseEngine({ outputSide: DEFAULT_IN_PAGE_MAX_SIDE + 1, runner: ready(), preference: 'auto' }).kind, 'runner');
    assert.equal(chooseEngine({ outputSide: 800, runner: ready(), preference: 'auto', inPageMaxSide: 1024 }).kind, 'in-page');
  });

  it('falls back to the page for big renders, saying what would help', () => {
    const cases: Array<[RunnerStatus, RegExp]> = [
      [notRunning, /the runner is not running \(start it with `pastiche serve`\)/],
      [notPaired, /not paired with the runner \(paste the token/],
      [{ state: 'unknown' }, /has not been checked yet/],
      [ready(health({ limits: { maxSide: 1024 } })), /the runner paints at most 1024 px \(--max-side\)/],
      [ready(health({ queue: { queued: 8 } })), /the runner's queue is full \(8 jobs waiting\)/],
    ];
    for (const [runner, why] of cases) {
      const choice = chooseEngine({ outputSide: 2048, runner, preference: 'auto' });
      assert.equal(choice.kind, 'in-page', runner.state);
      assert.match(choice.reason, /^2048 px is a big render for this page, and /);
      assert.match(choice.reason, why);
      assert.match(choice.reason, /painting in this page \(slow at 2048 px and may run out of memory\)\.$/);
    }
  });

  it('goes to a busy runner and says the job will wait', () => {
    const choice = chooseEngine({ outputSide: 2048, runner: busy, preference: 'auto' });
    assert.equal(choice.kind, 'runner');
    assert.match(choice.reason, /it is busy, so the job waits for 3 jobs ahead of it/);
  });

  it('honours an explicit choice of the runner, whatever the size', () => {
    const choice = chooseEngine({ outputSide: 128, runner: ready(health({ backend: 'wasm', gpu: false })), preference: 'runner' });
    assert.deepEqual(choice, { kind: 'runner', reason: 'Painting on the runner (wasm), as chosen.' });
  });

  it('explains when the chosen runner cannot take the job', () => {
    const choice = chooseEngine({ outputSide: 128, runner: notRunning, preference: 'runner' });
    assert.deepEqual(choice, { kind: 'in-page', reason: 'You chose the runner, but the runner is not running (start it with `pastiche serve`): painting in this page.' });
  });

  it('honours an explicit choice of the page, warning about big renders', () => {
    assert.deepEqual(chooseEngine({ outputSide: 300, runner: ready(), preference: 'in-page' }), { kind: 'in-page', reason: 'Painting in this page, as chosen.' });
    assert.match(chooseEngine({ outputSide: 4096, runner: ready(), preference: 'in-page' }).reason, /as chosen \(slow at 4096 px/);
  });
});
