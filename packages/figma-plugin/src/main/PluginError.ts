import type { ErrorCode } from '../messages/messageSchemas.ts';

/** A failure the user can act on, in plain words, with a code the UI can react to. */
export class PluginError extends Error {
  override name = 'PluginError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
