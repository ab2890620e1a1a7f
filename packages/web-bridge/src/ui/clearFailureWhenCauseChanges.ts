import type { Store } from './createStore.ts';
import type { EngineSectionState } from './mountEngine.ts';
import type { RunState } from './RunState.ts';

/**
 * A failed run's message stays until what it was about changes: the engine choice, the pairing, the runner's
 * or the weights' address, or a runner that was not running (or not paired) now ready. After that it would
 * describe a setup that is gone ("start the runner" beside "Runner ready"), so the panel goes back to idle.
 * A runner going from busy to ready is not such a change: that is the failed job itself ending.
 */
export function clearFailureWhenCauseChanges<S extends EngineSectionState & { run: RunState }>(store: Store<S>): void {
  store.subscribe((state, previous) => {
    if (state.run.phase !== 'failed' || previous.run.phase !== 'failed') return;
    const changed =
      state.settings.engine !== previous.settings.engine ||
      state.settings.runnerUrl !== previous.settings.runnerUrl ||
      state.settings.weightsUrl !== previous.settings.weightsUrl ||
      state.runnerToken !== previous.runnerToken ||
      (state.runner.state === 'ready' && (previous.runner.state === 'not-running' || previous.runner.state === 'not-paired'));
    if (changed) store.update({ run: { phase: 'idle' } } as Partial<S>);
  });
}
