import type { MainToUiPayload, UiToMainName, UiToMainPayload } from '../../messages/messageSchemas.ts';
import { emitToMain } from './emitToMain.ts';
import { onMainMessage } from './listenToMain.ts';
import { MainRequestError } from './MainRequestError.ts';

/**
 * Sends a request that carries a runId and waits for its answer (`answer`) or for request-failed with the
 * same runId (thrown as MainRequestError). Aborting stops the wait, not the main code's work.
 */
export function requestFromMain<N extends UiToMainName & ('export-requested' | 'result-ready'), A extends 'images-exported' | 'result-placed'>(
  name: N,
  payload: UiToMainPayload<N>,
  answer: A,
  signal?: AbortSignal,
): Promise<MainToUiPayload<A>> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      offAnswer();
      offFailure();
      signal?.removeEventListener('abort', onAbort);
    };
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
