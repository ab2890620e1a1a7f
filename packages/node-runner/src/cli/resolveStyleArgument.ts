import { fileURLToPath } from 'node:url';
import { findStylePreset, PRESET_PREFIX, STYLE_PRESETS } from '@pastiche/web-bridge/presets';
import { stylePresetUrl } from '@pastiche/web-bridge/presets/files';
import { CliError } from './CliError.ts';

/** A `--style` value: a file as given, or `preset:ID`'s shipped file. */
export function resolveStyleArgument(value: string): string {
  if (!value.startsWith(PRESET_PREFIX)) return value;
  const id = value.slice(PRESET_PREFIX.length);
  const preset = findStylePreset(id);
  if (!preset) throw new CliError(`--style: no preset "${id}"; the presets are ${STYLE_PRESETS.map((p) => PRESET_PREFIX + p.id).join(', ')} (pastiche presets)`, 2);
  return fileURLToPath(stylePresetUrl(preset));
}
