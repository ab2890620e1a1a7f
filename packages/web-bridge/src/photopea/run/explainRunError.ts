export interface RunFailure {
  phase: 'failed';
  message: string;
  hint?: string;
}

const MEMORY = /out of memory|oom\b|allocat|context lost|texture size|exceeds.*limit|memory access out of bounds/i;
const WEIGHTS_HINT = 'Start `pastiche serve` and pair this panel (it serves them), or set a weights URL in Advanced.';

/**
 * Any error a run can end with as a sentence and, where there is one, what to do. Errors are told apart by
 * name (they come from the worker and other modules, where instanceof is not reliable).
 */
export function explainRunError(error: unknown, context: { size: number; runnerUrl: string; engine?: 'in-page' | 'runner' }): RunFailure {
  const e = error as { name?: string; message?: string; code?: string; field?: string; hint?: string; what?: string };
  const message = e?.message ?? String(error);
  const smaller = 'Try the Preview preset or a smaller size';
  switch (e?.name) {
    case 'RunProblem':
      return { phase: 'failed', message, hint: e.hint };
    case 'PhotopeaTimeoutError':
      return { phase: 'failed', message, hint: /did not answer/.test(message) ? 'Open this panel from Photopea: Window › Plugins, or the embed page.' : 'Try again: a large document takes Photopea longer.' };
    case 'PhotopeaScriptError':
      if (e.code === 'layer-moved') return { phase: 'failed', message, hint: 'The list is refreshed: check the layers and Stylize again.' };
      if (e.code === 'no-document') return { phase: 'failed', message, hint: 'Open an image in Photopea, then Refresh.' };
      if (e.code === 'document-changed') return { phase: 'failed', message, hint: 'Switch back to that document, or Refresh to use this one.' };
      return { phase: 'failed', message: `Photopea could not ${e.what ?? 'run the script'}: ${message}` };
    case 'PhotopeaReplyError':
    case 'PhotopeaError':
      return { phase: 'failed', message };
    case 'RunnerUnreachableError':
      return { phase: 'failed', message: `The runner is not reachable at ${host(context.runnerUrl)}.`, hint: 'Start it with `pastiche serve` (with --allow-origin for this page), or choose In panel.' };
    case 'RunnerNotPairedError':
      return { phase: 'failed', message: 'The runner did not accept the pairing token.', hint: 'Paste the token `pastiche serve` printed into the Engine section.' };
    case 'RunnerBusyError':
      return { phase: 'failed', message: 'The runner is busy and its queue is full.', hint: 'Wait for its jobs to finish, or choose In panel.' };
    case 'RunnerRequestError':
      return { phase: 'failed', message: `The runner refused the job${e.field ? ` (${e.field})` : ''}: ${message}` };
    case 'RunnerJobError':
      if (e.code === 'out_of_memory') return { phase: 'failed', message: `The runner ran out of memory at ${context.size} px.`, hint: `${smaller}.` };
      if (e.code === 'time_limit') return { phase: 'failed', message: 'The run took longer than the runner allows.', hint: 'Fewer evaluations or a smaller size finish sooner.' };
      return { phase: 'failed', message: `The runner could not finish: ${message}` };
    case 'RunnerServerError':
      return { phase: 'failed', message: `The runner failed: ${message}` };
    case 'NoWeightsError':
      return { phase: 'failed', message: 'The in-panel engine needs the model weights.', hint: WEIGHTS_HINT };
    case 'PasticheInputError':
      return { phase: 'failed', message: `Setting ${e.field ?? ''}: ${message.replace(/^[\w.[\]]+: /, '')}`, hint: 'Fix it in Advanced.' };
  }
  if (MEMORY.test(message)) {
    const where = context.engine === 'runner' ? 'The runner' : 'This panel';
    return { phase: 'failed', message: `${where} ran out of memory at ${context.size} px.`, hint: context.engine === 'runner' ? `${smaller}.` : `${smaller}, or paint on the runner (\`pastiche serve\`).` };
  }
  if (/weights|model\.json/i.test(message)) return { phase: 'failed', message: `The model weights could not be loaded: ${message}`, hint: WEIGHTS_HINT };
  return { phase: 'failed', message: message || 'Something went wrong.' };
}

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
