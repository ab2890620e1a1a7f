import type { RunnerStatus } from '../runner/types.ts';

/**
 * The runner's state as a dot colour and a short line for the Engine section. No runner is the normal state
 * of a designer who paints in the plugin: an alarm only when they chose the runner (`wanted`).
 */
export function describeRunnerStatus(status: RunnerStatus, runnerUrl: string, wanted = false): { tone: 'neutral' | 'good' | 'warn' | 'bad'; text: string } {
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
      return { tone: 'warn', text: `Runner busy · ${running + queued} job${running + queued === 1 ? '' : 's'} ahead` };
    }
  }
}
