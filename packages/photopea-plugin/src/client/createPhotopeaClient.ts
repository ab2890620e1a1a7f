import type { PhotopeaScript } from '../scripts/PhotopeaScript.ts';
import { ReplyShapeError } from '../scripts/readReply.ts';
import { classifyMessage, type IncomingMessage } from './classifyMessage.ts';
import { PhotopeaError, PhotopeaReplyError, PhotopeaScriptError, PhotopeaTimeoutError } from './photopeaErrors.ts';

export interface PhotopeaClientConfig {
  /** Where scripts go: `window.parent` for a plugin page (https://www.photopea.com/api/plugins). */
  target: { postMessage(message: unknown, targetOrigin: string): void };
  /** Where Photopea's answers arrive: the plugin page's own window. Only messages whose source is `target` count. */
  events: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Every script's time limit, ms, instead of each script's own (the page's `timeout` parameter: raise it on a slow machine; tests lower it). */
  timeoutMs?: number;
}

export interface ScriptOutcome<R> {
  value: R;
  /** What the script sent with saveToOE, in order. */
  buffers: ArrayBuffer[];
}

export interface PhotopeaClient {
  /** Sends the script once every earlier one has finished, and resolves with its checked answer. */
  run<R>(script: PhotopeaScript<R>, options?: { timeoutMs?: number }): Promise<ScriptOutcome<R>>;
  /** Rejects what is waiting and stops listening. */
  dispose(): void;
}

/**
 * Talks to Photopea through postMessage (https://www.photopea.com/api/live): a script is a string, Photopea
 * sends back saveToOE's ArrayBuffers and echoToOE's strings, then "done". Those replies carry no request id,
 * so scripts go one at a time. Each script echoes a start marker and a final answer tagged with its id
 * (wrapScript): an earlier script's late echoes, and stray "done"s (Photopea's own "ready" one), are not
 * taken for this one's; buffers count only after this script's start marker.
 */
export function createPhotopeaClient(config: PhotopeaClientConfig): PhotopeaClient {
  const { target, events } = config;
  let nextId = 1;
  let tail: Promise<unknown> = Promise.resolve();
  const inFlight = new Set<(error: unknown) => void>();
  let disposed = false;

  const execute = <R>(script: PhotopeaScript<R>, timeoutMs: number): Promise<ScriptOutcome<R>> =>
    new Promise((resolve, reject) => {
      if (disposed) return reject(new PhotopeaError('the Photopea connection was closed', script.what));
      const id = nextId++;
      let started = false;
      let done = false;
      let answer: Extract<IncomingMessage, { kind: 'answer' }> | undefined;
      const buffers: ArrayBuffer[] = [];

      const finish = (outcome: { value: ScriptOutcome<R> } | { error: unknown }) => {
        clearTimeout(timer);
        events.removeEventListener('message', onMessage);
        inFlight.delete(abort);
        if ('error' in outcome) reject(outcome.error);
        else resolve(outcome.value);
      };
      const abort = (error: unknown) => finish({ error });
      const check = () => {
        if (!done || !answer) return;
        if (!answer.ok) return abort(new PhotopeaScriptError(answer.message, script.what, answer.code));
        // The buffers come before "done" (api/live), but wait for them rather than trust the order.
        if (buffers.length < script.buffers) return;
        try {
          finish({ value: { value: readChecked(script, answer.value), buffers } });
        } catch (error) {
          abort(error);
        }
      };
      const onMessage = (event: Event) => {
        const { source, data } = event as MessageEvent;
        if (source !== target) return;
        const message = classifyMessage(data);
        if (message.kind === 'start' && message.id === id) started = true;
        else if (message.kind === 'answer' && message.id === id) answer = message;
        else if (message.kind === 'buffer' && started) buffers.push(message.buffer);
        else if (message.kind === 'done' && started) done = true;
        check();
      };
      const timer = setTimeout(() => abort(new PhotopeaTimeoutError(describeSilence(script, timeoutMs, { started, done, answered: Boolean(answer), buffers: buffers.length }), script.what, timeoutMs)), timeoutMs);

      inFlight.add(abort);
      events.addEventListener('message', onMessage);
      target.postMessage(script.text(id), '*');
    });

  return {
    run(script, options = {}) {
      const timeoutMs = options.timeoutMs ?? config.timeoutMs ?? script.timeoutMs;
      const result = tail.then(() => execute(script, timeoutMs));
      tail = result.catch(() => {}); // a failed script does not stop the queue
      return result;
    },
    dispose() {
      disposed = true;
      for (const abort of [...inFlight]) abort(new PhotopeaError('the Photopea connection was closed', 'a script'));
    },
  };
}

function readChecked<R>(script: PhotopeaScript<R>, value: unknown): R {
  try {
    return script.read(value);
  } catch (error) {
    if (!(error instanceof ReplyShapeError)) throw error;
    throw new PhotopeaReplyError(`Photopea's answer to “${script.what}” is not what Pastiche expects (${error.message}).`, script.what, error.field);
  }
}

/** Why a script timed out, from what did arrive: nothing at all reads as "not inside Photopea". */
function describeSilence(script: PhotopeaScript<unknown>, timeoutMs: number, seen: { started: boolean; done: boolean; answered: boolean; buffers: number }): string {
  const limit = `${Math.round(timeoutMs / 100) / 10} s`;
  if (!seen.started) return `Photopea did not answer (“${script.what}”, ${limit}). Is this panel open inside Photopea?`;
  if (seen.answered && seen.buffers < script.buffers) return `Photopea did not send the image for “${script.what}” within ${limit}.`;
  if (seen.done) return `Photopea finished “${script.what}” without its answer (${limit}).`;
  return `Photopea started “${script.what}” but did not finish it within ${limit}.`;
}
