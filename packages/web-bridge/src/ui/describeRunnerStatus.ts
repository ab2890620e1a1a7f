import type { RunnerStatus } from '../runner/types.ts';

/**
 * The runner's state as a dot colour and a short line for the Engine section. No runner is the normal state
 * of a designer who paints in the plugin: an alarm only when they chose the runner (`wanted`). `ownJobs`: the
 * jobs of this panel the runner has (its own run), which are not "ahead" of anything.
 */
export function describeRunnerStatus(status: RunnerStatus, runnerUrl: string, wanted = false, ownJobs = 0): { tone: 'neutral' | 'good' | 'warn' | 'bad'; text: string } {
  const host = runnerUrl.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  switch (status.state) {
    case 'unknown':
      return { tone: 'neutral', text: `Looking for the runner at ${host}…` };
    case 'not-running':
      return wanted
        ? { tone: 'bad', text: `Runner not running at ${host}. Start it with pastiche serve.` }
        : { tone: 'neutral', text: `No runner at ${host}. Optional: pastiche serve paints big renders on this computer.` };
    case 'not-paired':
      return { tone: 'warn', text: 'Runner found, not paired. Paste the token pastiche serve printed.' };
    case 'ready':
      return { tone: 'good', text: `Runner ready · ${status.health.backend}${status.health.gpu ? ', GPU' : ''}` };
    case 'busy': {
      const { running, queued } = status.health.queue;
      const others = Math.max(0, running + queued - ownJobs);
      if (others === 0) return { tone: 'good', text: `Runner painting your job · ${status.health.backend}${status.health.gpu ? ', GPU' : ''}` };
      return { tone: 'warn', text: ownJobs > 0 ? `Runner busy · ${others} other job${others === 1 ? '' : 's'}` : `Runner busy · ${others} job${others === 1 ? '' : 's'} ahead` };
    }
  }
}
