import type { PluginSettings } from './pluginSettingsSchema.ts';

/** The runner's own default address (see `pastiche serve --port`). */
export const DEFAULT_RUNNER_URL = 'http://127.0.0.1:7878';

export const DEFAULT_SETTINGS: PluginSettings = {
  preset: 'standard',
  engine: 'auto',
  advanced: {},
  runnerUrl: DEFAULT_RUNNER_URL,
};
