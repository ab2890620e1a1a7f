export type { Evaluation, MinimizeHints, MinimizeResult, Objective, Optimizer } from './types.ts';
export { createLbfgs, DEFAULT_LBFGS_CONFIG, type LbfgsConfig, type LbfgsIterationInfo } from './lbfgs.ts';
export { createAdam, DEFAULT_ADAM_CONFIG, type AdamConfig } from './adam.ts';
export {
  strongWolfeLineSearch,
  DEFAULT_STRONG_WOLFE_OPTIONS,
  type LineSearchPoint,
  type LineSearchSample,
  type StrongWolfeOptions,
  type StrongWolfeResult,
} from './strongWolfeLineSearch.ts';
export type { OptimizerState, LbfgsState, AdamState, TrackedState, CurvaturePairState } from './optimizerState.ts';
