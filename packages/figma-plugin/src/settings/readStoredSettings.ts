import { Value } from '@sinclair/typebox/value';
import { DEFAULT_SETTINGS } from './defaultSettings.ts';
import { PluginSettingsSchema, type PluginSettings } from './pluginSettingsSchema.ts';

/**
 * Settings saved by an older or newer version may not fit today's schema: keep what still fits, field by
 * field, and take the defaults for the rest, rather than losing everything or failing to open.
 */
export function readStoredSettings(stored: unknown): PluginSettings {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_SETTINGS;
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const [key, value] of Object.entries(stored)) {
    const schema = PluginSettingsSchema.properties[key as keyof PluginSettings];
    if (schema && Value.Check(schema, value)) merged[key] = value;
  }
  return merged as PluginSettings;
}
