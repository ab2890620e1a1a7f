// Core's test support (`@pastiche/core/test-support`): the real and synthetic weights and the float64
// reference objective, for other packages' engine tests to check against, without reaching into this folder.
export { loadRealWeights, syntheticWeights } from './weights.ts';
export { uniform } from './random.ts';
export { referenceObjective } from './referenceObjective.ts';
