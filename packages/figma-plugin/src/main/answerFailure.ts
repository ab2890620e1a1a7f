import { emitToUi } from './emitToUi.ts';
import type { PluginHost } from './host/PluginHost.ts';
import { PluginError } from './PluginError.ts';
import type { ErrorCode } from '../messages/messageSchemas.ts';

/** Reports a failed request to the UI in plain words; unexpected errors keep their message under a general code. */
export function answerFailure(host: PluginHost, runId: number, error: unknown, fallback: ErrorCode): void {
  const code = error instanceof PluginError ? error.code : fallback;
  const message = error instanceof Error ? error.message : String(error);
  emitToUi(host, 'request-failed', { runId, code, message });
}
