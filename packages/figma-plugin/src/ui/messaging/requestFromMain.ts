import type { MainToUiPayload, UiToMainName, UiToMainPayload } from '../../messages/messageSchemas.ts';
import { emitToMain } from './emitToMain.ts';
import { onMainMessage } from './listenToMain.ts';
import { MainRequestError } from './MainRequestError.ts';

/** Longer than any export or placement takes; past it the main code is taken to be gone (it crashed, or was closed). */
export const MAIN_ANSWER_TIMEOUT_MS = 120_000;

/**
 * Sends a request that carries a runId and waits for its answer (`answer`) or for request-failed with the
 * same runId (thrown as MainRequestError), at most `timeoutMs`. Aborting stops the wait, not the main code's work.
 */
export function requestFromMain<N extends UiToMainName & ('export-requested' | 'region-requested' | 'result-ready'), A extends 'images-exported' | 'region-exported' | 'result-placed'>(
  name: N,
  payload: UiToMainPayload<N>,
  answer: A,
  signal?: AbortSignal,
  timeoutMs = MAIN_ANSWER_TIMEOUT_MS,
): Promise<MainToUiPayload<A>> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      offAnswer();
      offFailure();
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new MainRequestError('no-answer', `Figma did not answer within ${Math.round(timeoutMs / 1000)} s. Close the plugin and open it again.`));
    }, timeoutMs);
    const onAbort = () => {
      stop();
      reject(signal?.reason ?? new DOMException('cancelled', 'AbortError'));
    };
    const offAnswer = onMainMessage(answer, (reply) => {
      if ((reply as { runId: number }).runId !== payload.runId) return;
      stop();
      resolve(reply as MainToUiPayload<A>);
    });
    const offFailure = onMainMessage('request-failed', (failure) => {
      if (failure.runId !== payload.runId) return;
      stop();
      reject(new MainRequestError(failure.code, failure.message));
    });
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    emitToMain(name, payload);
  });
}
