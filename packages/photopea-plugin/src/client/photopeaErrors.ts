/** Anything that went wrong talking to Photopea; `what` names the script ("export a layer"). */
export class PhotopeaError extends Error {
  override name = 'PhotopeaError';
  constructor(
    message: string,
    readonly what: string,
  ) {
    super(message);
  }
}

/** Photopea did not finish a script in time: not in Photopea, Photopea busy or stuck, or a script it rejected. */
export class PhotopeaTimeoutError extends PhotopeaError {
  override name = 'PhotopeaTimeoutError';
  constructor(
    message: string,
    what: string,
    readonly timeoutMs: number,
  ) {
    super(message, what);
  }
}

/** A script ran and failed; `code` is the script's own (no-document, layer-moved, …) or "script-error". */
export class PhotopeaScriptError extends PhotopeaError {
  override name = 'PhotopeaScriptError';
  constructor(
    message: string,
    what: string,
    readonly code: string,
  ) {
    super(message, what);
  }
}

/** A script answered something that is not what it should send; `field` names the part. */
export class PhotopeaReplyError extends PhotopeaError {
  override name = 'PhotopeaReplyError';
  constructor(
    message: string,
    what: string,
    readonly field: string,
  ) {
    super(message, what);
  }
}
