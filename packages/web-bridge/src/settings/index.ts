// The quality presets and how a plugin's settings become one run's options, shared by the Figma and the
// Photopea plugin (no engine code: safe for Figma's host bundle).
export { QUALITY_PRESETS, type QualityPresetName } from './qualityPresets.ts';
export { isHttpUrl } from './isHttpUrl.ts';
export { resolveRunOptions, type RunSettings } from './resolveRunOptions.ts';
export { DEFAULT_RUNNER_URL } from '../runner/createRunnerClient.ts';
