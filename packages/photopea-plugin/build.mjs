// Builds the Photopea plugin into dist/photopea/ (see src/build/buildPhotopeaPlugin.ts):
// plugin.html is the page Photopea loads in its panel, embed.html opens Photopea with the plugin in it.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const { buildPhotopeaPlugin } = await tsImport('./src/build/buildPhotopeaPlugin.ts', import.meta.url);
const out = path.join(here, 'dist/photopea');
const files = await buildPhotopeaPlugin(out, { minify: !process.argv.includes('--no-minify') });
console.log(`dist/photopea: ${files.join(', ')}`);
