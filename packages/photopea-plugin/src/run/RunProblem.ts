/** Why a run cannot go on, in the panel's words (nothing chosen, a layer gone, no document). */
export class RunProblem extends Error {
  override name = 'RunProblem';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}
