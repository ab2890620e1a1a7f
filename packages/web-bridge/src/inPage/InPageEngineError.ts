import type { WeightsProblem } from '../weights/weightsProblem.ts';

/** A failure in the in-page engine; `field` names the request field at fault (options.size, styles[0].image, …). */
export class InPageEngineError extends Error {
  override name = 'InPageEngineError';
  constructor(
    message: string,
    readonly field?: string,
    /** Why the weights could not be loaded (a WeightsLoadError). */
    readonly problem?: WeightsProblem,
  ) {
    super(message);
  }
}
