export { buildWorkerBundle } from './buildWorkerBundle.ts';
