export { DEFAULT_WEIGHTS_ORIGIN, DEFAULT_WEIGHTS_PACKAGE, defaultModelUrl } from './defaultWeights.ts';
