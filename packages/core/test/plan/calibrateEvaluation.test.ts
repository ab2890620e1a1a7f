import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { validateOptions, type Engine } from '../../src/index.ts';
import { calibrateEvaluation } from '../../src/plan/calibrateEvaluation.ts';
import { objectiveSettings } from '../../src/plan/planObjective.ts';
import { useBackend } from '../helpers/backend.ts';
import { smallRealEngine, SMALL_RUN } from '../helpers/fixtures.ts';

// That the stop gets in where an engine never yields a task (WebAssembly in the plugins' worker) is the in-page
// engine's browser test ("gives way to a run"): here tfjs yields tasks of its own while it prepares.
describe('calibrateEvaluation: an engine’s time per pixel, and its stop', () => {
  let engine: Engine;
  const settings = objectiveSettings(validateOptions(SMALL_RUN));
  before(async () => {
    await useBackend('cpu');
    engine = await smallRealEngine();
  });

  it('gives a positive time per pixel', async () => {
    const msPerPixel = await calibrateEvaluation(engine, settings, 32);
    assert.ok(msPerPixel > 0 && Number.isFinite(msPerPixel), `${msPerPixel}`);
  });

  it('stops on an abort that comes in a task of its own (a message, a timer)', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new DOMException('a run started', 'AbortError')), 0);
    await assert.rejects(calibrateEvaluation(engine, settings, 32, controller.signal), { name: 'AbortError', message: 'a run started' });
  });

  it('an aborted signal stops it before anything is prepared', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('a run started', 'AbortError'));
    await assert.rejects(calibrateEvaluation(engine, settings, 32, controller.signal), { name: 'AbortError' });
  });
});
