import { presetCredit, PRESET_PREFIX, STYLE_PRESETS } from '@pastiche/web-bridge/presets';

/** The presets with their credits: `--style preset:ID` takes any of them. */
export const PRESETS_LIST = STYLE_PRESETS.map((p) => `  ${(PRESET_PREFIX + p.id).padEnd(24)}${presetCredit(p)}`).join('\n');

export const PRESETS_HELP = `Usage: pastiche presets

Lists the style presets shipped with pastiche: use one as --style preset:ID, alone or blended with
style files (--style-weights). Public-domain paintings, 640 px on their longest side.`;

export function presetsCommand(): void {
  process.stdout.write(`${PRESETS_LIST}\n`);
}
