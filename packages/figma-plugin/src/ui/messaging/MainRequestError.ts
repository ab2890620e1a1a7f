import type { ErrorCode } from '../../messages/messageSchemas.ts';

/** The main code could not do what the UI asked (export, place); its message is for the user as is. */
export class MainRequestError extends Error {
  override name = 'MainRequestError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
