export { buildWorkerBundle } from './buildWorkerBundle.ts';
export { stylePresetsModule } from './stylePresetsModule.ts';
