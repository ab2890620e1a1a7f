import { UiToMainMessages, type UiToMainName, type UiToMainPayload } from '../messages/messageSchemas.ts';
import { MessageError, parseMessage } from '../messages/parseMessage.ts';
import { emitToUi } from './emitToUi.ts';
import type { PluginHost } from './host/PluginHost.ts';

export type UiMessageHandlers = { [N in UiToMainName]: (payload: UiToMainPayload<N>) => void | Promise<void> };

/**
 * Routes every message from the UI to its handler after checking it against its schema. A message that
 * does not fit is answered with request-failed (naming the field) and goes no further.
 */
export function listenToUi(host: PluginHost, handlers: UiMessageHandlers): void {
  host.ui.onmessage = (data: unknown) => {
    let message;
    try {
      message = parseMessage(UiToMainMessages, data);
    } catch (error) {
      if (!(error instanceof MessageError)) throw error;
      emitToUi(host, 'request-failed', { runId: runIdOf(data), code: 'bad-message', message: error.message });
      return;
    }
    const handler = handlers[message.name] as (payload: unknown) => void | Promise<void>;
    // Handlers answer failures themselves; anything left (clientStorage refusing a write) is only logged.
    Promise.resolve()
      .then(() => handler(message.payload))
      .catch((error: unknown) => console.error(`Pastiche: ${message.name} failed:`, error));
  };
}

function runIdOf(data: unknown): number {
  const runId = (data as { payload?: { runId?: unknown } } | null)?.payload?.runId;
  return typeof runId === 'number' && Number.isInteger(runId) && runId >= 0 ? runId : 0;
}
