import type { RunnerStatus } from './runner/types.ts';
import type { EngineKind } from './types.ts';

/**
 * Above this side a render goes to the runner when it can: an evaluation's tensors grow with the pixels
 * (≈2.7 GB at 512² for full-depth VGG16), more than a browser tab's GPU share can be counted on to hold.
 */
export const DEFAULT_IN_PAGE_MAX_SIDE = 512;

export interface EngineChoiceInput {
  /** Longest side of the result, px (options.size). */
  outputSide: number;
  runner: RunnerStatus;
  preference: 'auto' | EngineKind;
  inPageMaxSide?: number;
}

/**
 * In the page for previews and small renders, on the runner for big ones or when the user asks for it,
 * with a reason the UI can show as is. When the runner cannot take the job, the page paints it and the
 * reason says why and what would help.
 */
export function chooseEngine(input: EngineChoiceInput): { kind: EngineKind; reason: string } {
  const { outputSide, runner, preference } = input;
  const maxSide = input.inPageMaxSide ?? DEFAULT_IN_PAGE_MAX_SIDE;
  const large = outputSide > maxSide;
  const slowHere = large ? ` (slow at ${outputSide} px and may run out of memory)` : '';

  if (preference === 'in-page') return { kind: 'in-page', reason: `Painting in this page, as chosen${slowHere}.` };
  if (preference === 'auto' && !large) return { kind: 'in-page', reason: `A ${outputSide} px render is quick in this page.` };

  const unavailable = runnerUnavailable(runner, outputSide);
  if (unavailable) {
    const asked = preference === 'runner' ? 'You chose the runner, but' : `${outputSide} px is a big render for this page, and`;
    return { kind: 'in-page', reason: `${asked} ${unavailable}: painting in this page${slowHere}.` };
  }
  const { health } = runner as Extract<RunnerStatus, { health: unknown }>;
  const where = `the runner (${health.backend}${health.gpu ? ', GPU' : ''})`;
  const waiting = runner.state === 'busy' ? `; it is busy, so the job waits for ${plural(health.queue.running + health.queue.queued, 'job')} ahead of it` : '';
  if (preference === 'runner') return { kind: 'runner', reason: `Painting on ${where}, as chosen${waiting}.` };
  return { kind: 'runner', reason: `${outputSide} px is above this page's limit of ${maxSide} px: painting on ${where}${waiting}.` };
}

/** Why the runner cannot take this job now, or undefined if it can. */
function runnerUnavailable(runner: RunnerStatus, outputSide: number): string | undefined {
  switch (runner.state) {
    case 'unknown':
      return 'the runner has not been checked yet';
    case 'not-running':
      return 'the runner is not running (start it with `pastiche serve`)';
    case 'not-paired':
      return 'this plugin is not paired with the runner (paste the token `pastiche serve` prints)';
    case 'busy':
    case 'ready': {
      const { limits, queue } = runner.health;
      if (outputSide > limits.maxSide) return `the runner paints at most ${limits.maxSide} px (--max-side)`;
      if (queue.queued >= limits.queueCap) return `the runner's queue is full (${plural(queue.queued, 'job')} waiting)`;
      return undefined;
    }
  }
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
