// The runner and the weights tools as a library: what other packages' tests and scripts may import
// (`@pastiche/node-runner`), so that none reaches into this package's folders.
export { createRunner, type Runner, type RunnerDependencies } from './serve/createRunner.ts';
export type { RunnerConfigInput } from './serve/runnerConfig.ts';
export { writeWeightsPackage } from './weights/writeWeightsPackage.ts';
export { layersModelFolderSource } from './weights/layersModelFolderSource.ts';
