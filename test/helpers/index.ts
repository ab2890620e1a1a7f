// Test helpers several packages' browser suites share (`@pastiche/test/helpers`).
export { recordRunnerJobs } from './recordRunnerJobs.ts';
export { readMaskMiddleRow } from './readMaskMiddleRow.ts';
