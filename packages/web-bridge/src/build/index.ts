export { buildWorkerBundle, WORKER_ENTRY } from './buildWorkerBundle.ts';
