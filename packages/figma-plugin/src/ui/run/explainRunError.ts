import type { RunState } from '../state/UiState.ts';

type Failure = Extract<RunState, { phase: 'failed' }>;

const MEMORY = /out of memory|oom\b|allocat|context lost|texture size|exceeds.*limit|memory access out of bounds/i;

/**
 * Any error a run can end with, as a sentence for the user and, where there is one, what to do about it.
 * Errors are told apart by name: they come from other bundles (the worker, web-bridge), so instanceof
 * is not reliable.
 */
export function explainRunError(error: unknown, context: { size: number; runnerUrl: string; engine?: 'in-page' | 'runner' }): Failure {
  const e = error as { name?: string; message?: string; code?: string; field?: string; status?: number };
  const message = e?.message ?? String(error);
  const host = safeHost(context.runnerUrl);
  const smaller = 'Try the Preview preset or a smaller size';
  switch (e?.name) {
    case 'MainRequestError':
      return { phase: 'failed', message };
    case 'RunnerUnreachableError':
      return { phase: 'failed', message: `The runner is not reachable at ${host}.`, hint: 'Start it with `pastiche serve`, or choose In plugin.' };
    case 'RunnerNotPairedError':
      return { phase: 'failed', message: 'The runner did not accept the pairing token.', hint: 'Paste the token `pastiche serve` printed into the Engine section.' };
    case 'RunnerBusyError':
      return { phase: 'failed', message: 'The runner is busy and its queue is full.', hint: 'Wait for its jobs to finish, or choose In plugin.' };
    case 'RunnerRequestError':
      return { phase: 'failed', message: `The runner refused the job${e.field ? ` (${e.field})` : ''}: ${message}` };
    case 'RunnerJobError':
      if (e.code === 'out_of_memory') return { phase: 'failed', message: `The runner ran out of memory at ${context.size} px.`, hint: `${smaller}.` };
      if (e.code === 'time_limit') return { phase: 'failed', message: 'The run took longer than the runner allows.', hint: 'Fewer evaluations or a smaller size finish sooner.' };
      return { phase: 'failed', message: `The runner could not finish: ${message}` };
    case 'RunnerServerError':
      return { phase: 'failed', message: `The runner failed: ${message}` };
    case 'NoWeightsError':
      return { phase: 'failed', message: 'The in-plugin engine needs the model weights.', hint: 'Start `pastiche serve` and pair the plugin (it serves them), or set a weights URL in Advanced.' };
    case 'PasticheInputError':
      return { phase: 'failed', message: `Setting ${e.field ?? ''}: ${message.replace(/^[\w.[\]]+: /, '')}`, hint: 'Fix it in the Advanced section.' };
  }
  if (MEMORY.test(message)) {
    const where = context.engine === 'runner' ? 'The runner' : 'The plugin';
    return { phase: 'failed', message: `${where} ran out of memory at ${context.size} px.`, hint: context.engine === 'runner' ? `${smaller}.` : `${smaller}, or paint on the runner (\`pastiche serve\`).` };
  }
  if (/weights|model\.json/i.test(message)) {
    return { phase: 'failed', message: `The model weights could not be loaded: ${message}`, hint: 'Start `pastiche serve` and pair the plugin (it serves them), or set a weights URL in Advanced.' };
  }
  return { phase: 'failed', message: message || 'Something went wrong.' };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
