import type { RunnerStatus } from '../runner/types.ts';

/** The runner's state as a dot colour and a short line for the Engine section. */
export function describeRunnerStatus(status: RunnerStatus, runnerUrl: string): { tone: 'neutral' | 'good' | 'warn' | 'bad'; text: string } {
  const host = runnerUrl.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  switch (status.state) {
    case 'unknown':
      return { tone: 'neutral', text: `Looking for the runner at ${host}…` };
    case 'not-running':
      return { tone: 'bad', text: `Runner not running at ${host}. Start it with pastiche serve.` };
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
