/** A failure in the in-page engine; `field` names the request field at fault (options.size, styles[0].image, …). */
export class InPageEngineError extends Error {
  override name = 'InPageEngineError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
