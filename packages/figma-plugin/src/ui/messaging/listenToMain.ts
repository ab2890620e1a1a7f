import { MainToUiMessages, type MainToUiName, type MainToUiPayload } from '../../messages/messageSchemas.ts';
import { MessageError, parseMessage } from '../../messages/parseMessage.ts';

type Listener = (payload: never) => void;
const listeners = new Map<MainToUiName, Set<Listener>>();
let installed = false;

/**
 * Registers a handler for one message from the main code (create-figma-plugin's `on`); returns the
 * unsubscribe. Messages are checked against their schema first; one that does not fit (it can only come
 * from a mismatched build) is logged with the field at fault, and if it answers a request (it has a runId)
 * that request fails with the reason rather than waiting for ever.
 */
export function onMainMessage<N extends MainToUiName>(name: N, handler: (payload: MainToUiPayload<N>) => void): () => void {
  if (!installed) {
    installed = true;
    window.addEventListener('message', (event: MessageEvent) => {
      const data: unknown = event.data?.pluginMessage;
      if (data === undefined) return;
      try {
        const message = parseMessage(MainToUiMessages, data);
        for (const listener of listeners.get(message.name) ?? []) (listener as (payload: unknown) => void)(message.payload);
      } catch (error) {
        if (!(error instanceof MessageError)) throw error;
        console.error(`Pastiche: ignored a message from the plugin: ${error.message}`);
        const runId = (data as { payload?: { runId?: unknown } } | null)?.payload?.runId;
        if (typeof runId !== 'number') return;
        const failure: MainToUiPayload<'request-failed'> = { runId, code: 'bad-message', message: `The plugin’s main code sent an answer this panel cannot read (${error.message}).` };
        for (const listener of listeners.get('request-failed') ?? []) (listener as (payload: unknown) => void)(failure);
      }
    });
  }
  const set = listeners.get(name) ?? new Set();
  listeners.set(name, set);
  set.add(handler as Listener);
  return () => set.delete(handler as Listener);
}
