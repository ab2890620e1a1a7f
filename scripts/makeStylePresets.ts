// Writes the style presets (packages/web-bridge/src/presets/style-presets) from the public-domain paintings
// in ../shared/images and prints each file's size and sha256 for the manifest (stylePresets.ts).
// `node --import tsx scripts/makeStylePresets.ts`
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { PRESET_JPEG_QUALITY, PRESET_SIDE, STYLE_PRESETS } from '../packages/web-bridge/src/presets/stylePresets.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const sources: Record<string, string> = { 'starry-night': 'starry_night.jpg', 'the-scream': 'the_scream.jpg', shipwreck: 'shipwreck.jpg', 'woman-with-hat': 'woman_with_hat.jpg' };

for (const preset of STYLE_PRESETS) {
  const bytes = await sharp(path.join(repoRoot, '../shared/images', sources[preset.id]))
    .resize({ width: PRESET_SIDE, height: PRESET_SIDE, fit: 'inside', withoutEnlargement: true })
    .jpeg({ quality: PRESET_JPEG_QUALITY })
    .toBuffer({ resolveWithObject: true });
  await writeFile(path.join(repoRoot, 'packages/web-bridge/src/presets', preset.file), bytes.data);
  const sha256 = createHash('sha256').update(bytes.data).digest('hex');
  console.log(`${preset.id}: ${bytes.info.width}×${bytes.info.height}, ${(bytes.data.length / 1024).toFixed(0)} KB, sha256 ${sha256}`);
}
