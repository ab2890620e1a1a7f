import type { StylePreset } from './stylePresets.ts';

/**
 * Where a preset's file is, for hosts that read files (the CLI): beside this module from source, and beside
 * the bundle that inlines it (node-runner's build copies style-presets/ next to dist/pastiche.js).
 * Browser bundles take the files inlined instead (../build/stylePresetsModule.ts).
 */
export const stylePresetUrl = (preset: StylePreset) => new URL(`./${preset.file}`, import.meta.url);
