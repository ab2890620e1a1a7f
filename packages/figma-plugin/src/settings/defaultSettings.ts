import { DEFAULT_RUNNER_URL } from '@pastiche/web-bridge/settings';
import type { PluginSettings } from './pluginSettingsSchema.ts';

export const DEFAULT_SETTINGS: PluginSettings = {
  preset: 'standard',
  engine: 'auto',
  advanced: {},
  runnerUrl: DEFAULT_RUNNER_URL,
};
