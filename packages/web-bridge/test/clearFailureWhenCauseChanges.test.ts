import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clearFailureWhenCauseChanges, createStore, type EngineSectionState, type RunState } from '../src/ui/index.ts';
import { health } from './helpers/health.ts';

type State = EngineSectionState & { run: RunState };

function failedPanel(runner: State['runner']) {
  const store = createStore<State>({
    settings: { preset: 'standard', advanced: {}, engine: 'runner', runnerUrl: 'http://localhost:7878' },
    runnerToken: '',
    runner,
    run: { phase: 'failed', message: 'The runner is not reachable.' },
  });
  clearFailureWhenCauseChanges(store);
  return store;
}

describe('clearFailureWhenCauseChanges', () => {
  it('clears the failure when the engine choice, the pairing or the weights source changes', () => {
    for (const change of [
      (s: State) => ({ settings: { ...s.settings, engine: 'in-page' as const } }),
      () => ({ runnerToken: 'token' }),
      (s: State) => ({ settings: { ...s.settings, weightsUrl: 'https://example.com/vgg16/model.json' } }),
    ]) {
      const store = failedPanel({ state: 'not-running' });
      store.update(change);
      assert.equal(store.get().run.phase, 'idle');
    }
  });

  it('clears it when a runner that was not running is ready, not when the failed job’s own runner goes from busy to ready', () => {
    const started = failedPanel({ state: 'not-running' });
    started.update({ runner: { state: 'ready', health: health() } });
    assert.equal(started.get().run.phase, 'idle');

    const ownJobEnded = failedPanel({ state: 'busy', health: health() });
    ownJobEnded.update({ runner: { state: 'ready', health: health() } });
    assert.equal(ownJobEnded.get().run.phase, 'failed');
  });

  it('keeps it through changes that have nothing to do with it', () => {
    const store = failedPanel({ state: 'not-running' });
    store.update((s) => ({ settings: { ...s.settings, preset: 'high' } }));
    store.update({ runner: { state: 'not-running', reason: 'still down' } });
    assert.equal(store.get().run.phase, 'failed');
  });
});
