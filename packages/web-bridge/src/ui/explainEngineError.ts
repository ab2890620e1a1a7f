import { DEFAULT_WEIGHTS_ORIGIN } from '../weights/defaultWeights.ts';
import type { WeightsProblem } from '../weights/weightsProblem.ts';
import { explainWeightsProblem, SERVE_COMMAND } from './explainWeightsProblem.ts';
import type { HostWords } from './HostWords.ts';

export interface RunFailure {
  phase: 'failed';
  message: string;
  hint?: string;
}

const MEMORY = /out of memory|oom\b|allocat|context lost|texture size|exceeds.*limit|memory access out of bounds/i;

/**
 * An error from the engines (the runner, the in-page engine, the core's validation) as a sentence for the
 * user and, where there is one, what to do about it; anything else passes through as its message. Errors
 * are told apart by name: they come from other bundles (the worker), where instanceof is not reliable. Each
 * plugin explains its own host's errors first.
 */
export function explainEngineError(error: unknown, context: { size: number; runnerUrl: string; engine?: 'in-page' | 'runner' }, words: HostWords): RunFailure {
  const e = error as { name?: string; message?: string; code?: string; field?: string; problem?: WeightsProblem };
  const message = e?.message ?? String(error);
  const smaller = 'Try the Preview preset or a smaller size';
  const weightsHint = `Check the connection to ${new URL(DEFAULT_WEIGHTS_ORIGIN).host} and try again, or start the runner (\`${SERVE_COMMAND}\`) and pair ${words.here} (it serves them).`;
  switch (e?.name) {
    case 'RunnerUnreachableError':
      return { phase: 'failed', message: `The runner is not reachable at ${host(context.runnerUrl)}.`, hint: `Start it with \`pastiche serve\`${words.serveNote ? ` (${words.serveNote})` : ''}, or choose ${words.inPageChoice}.` };
    case 'RunnerNotPairedError':
      return { phase: 'failed', message: 'The runner did not accept the pairing token.', hint: 'Paste the token `pastiche serve` printed into the Engine section.' };
    case 'RunnerBusyError':
      return { phase: 'failed', message: 'The runner is busy and its queue is full.', hint: `Wait for its jobs to finish, or choose ${words.inPageChoice}.` };
    case 'RunnerRequestError':
      return { phase: 'failed', message: `The runner refused the job${e.field ? ` (${e.field})` : ''}: ${message}` };
    case 'RunnerJobError':
      if (e.code === 'out_of_memory') return { phase: 'failed', message: `The runner ran out of memory at ${context.size} px.`, hint: `${smaller}.` };
      if (e.code === 'time_limit') return { phase: 'failed', message: 'The run took longer than the runner allows.', hint: 'Fewer evaluations or a smaller size finish sooner.' };
      return { phase: 'failed', message: `The runner could not finish: ${message}` };
    case 'RunnerServerError':
      return { phase: 'failed', message: `The runner failed: ${message}` };
    case 'WeightsLoadError':
      if (e.problem) return { phase: 'failed', ...explainWeightsProblem(e.problem, words) };
      return { phase: 'failed', message: `The model weights could not be downloaded: ${message.replace(/^could not load the \w+ weights \((.*)\)$/s, '$1')}`, hint: weightsHint };
    case 'PasticheInputError':
      return { phase: 'failed', message: `Setting ${e.field ?? ''}: ${message.replace(/^[\w.[\]]+: /, '')}`, hint: 'Fix it in Advanced.' };
  }
  if (MEMORY.test(message)) {
    const where = context.engine === 'runner' ? 'The runner' : words.here.charAt(0).toUpperCase() + words.here.slice(1);
    return { phase: 'failed', message: `${where} ran out of memory at ${context.size} px.`, hint: context.engine === 'runner' ? `${smaller}.` : `${smaller}, or paint on the runner (\`pastiche serve\`).` };
  }
  if (/weights|model\.json/i.test(message)) return { phase: 'failed', message: `The model weights could not be loaded: ${message}`, hint: weightsHint };
  return { phase: 'failed', message: message || 'Something went wrong.' };
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
