/** A request the engine refuses, naming the offending field (e.g. "options.styleWeight", "styles[1].image"). */
export class PasticheInputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field}: ${problem}`);
    this.name = 'PasticheInputError';
  }
}
