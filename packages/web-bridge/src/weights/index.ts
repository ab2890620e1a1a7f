export { DEFAULT_WEIGHTS_ORIGIN, DEFAULT_WEIGHTS_PACKAGE, defaultModelUrl } from './defaultWeights.ts';
export { checkWeightsSource, type WeightsCheck } from './checkWeightsSource.ts';
export { WeightsFetchError, type WeightsProblem } from './weightsProblem.ts';
