// The Figma harness for suites outside this package (`@pastiche/figma-plugin/test-harness`): the release test
// runs the released plugin in it.
export { serveWeightsCdn } from './serveWeightsCdn.ts';
export { harness, openAndSelect, serveWithoutRunner, waitInRun } from './withoutRunner.ts';
