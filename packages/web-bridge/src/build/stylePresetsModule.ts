import { readFile } from 'node:fs/promises';
import { STYLE_PRESETS } from '../presets/stylePresets.ts';
import { stylePresetUrl } from '../presets/stylePresetUrl.ts';

/**
 * The source of `pastiche:style-presets` (see presets/stylePresetImages.d.ts) for the plugins' builds: each
 * preset's file as a data: URL, since a Figma plugin's UI is one HTML file with nothing beside it.
 */
export async function stylePresetsModule(): Promise<string> {
  const urls = await Promise.all(STYLE_PRESETS.map(async (p) => [p.id, `data:image/jpeg;base64,${(await readFile(stylePresetUrl(p))).toString('base64')}`]));
  return `export default ${JSON.stringify(Object.fromEntries(urls))};`;
}
