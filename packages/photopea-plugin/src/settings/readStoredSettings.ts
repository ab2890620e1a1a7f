import { validateOptions, type StylizeOptions } from '@pastiche/core';
import { isHttpUrl } from '@pastiche/web-bridge/settings';
import type { PhotopeaSettings } from './PhotopeaSettings.ts';
import { QUALITY_PRESETS, resolveRunOptions } from '@pastiche/web-bridge/settings';

const ENGINES = ['auto', 'in-page', 'runner'];

/**
 * Settings saved by another version may not fit today's: keep what still does, field by field, and take
 * `defaults` for the rest, rather than lose everything or fail to open. Advanced options are checked
 * with the core's own validation, one by one and then together.
 */
export function readStoredSettings(stored: unknown, defaults: PhotopeaSettings): PhotopeaSettings {
  if (typeof stored !== 'object' || stored === null) return defaults;
  const s = stored as Record<string, unknown>;
  const settings: PhotopeaSettings = { ...defaults };
  if (typeof s.preset === 'string' && s.preset in QUALITY_PRESETS) settings.preset = s.preset as PhotopeaSettings['preset'];
  if (typeof s.engine === 'string' && ENGINES.includes(s.engine)) settings.engine = s.engine as PhotopeaSettings['engine'];
  if (isHttpUrl(s.runnerUrl)) settings.runnerUrl = s.runnerUrl;
  if (isHttpUrl(s.weightsUrl)) settings.weightsUrl = s.weightsUrl;
  if (typeof s.advanced === 'object' && s.advanced !== null) {
    const advanced: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(s.advanced)) {
      const alone = { [key]: value, ...(key === 'evaluations' && Array.isArray(value) ? { scales: value.length } : {}) };
      if (passes(alone as StylizeOptions)) advanced[key] = value;
    }
    if (passes(resolveRunOptions({ preset: settings.preset, advanced }))) settings.advanced = advanced as StylizeOptions;
  }
  return settings;
}

function passes(options: StylizeOptions): boolean {
  try {
    validateOptions(options);
    return true;
  } catch {
    return false;
  }
}
