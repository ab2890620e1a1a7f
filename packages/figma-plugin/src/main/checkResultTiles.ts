import type { UiToMainPayload } from '../messages/messageSchemas.ts';
import { FIGMA_MAX_IMAGE_SIDE } from '../results/planTiles.ts';
import { readPngSize } from '../results/readPngSize.ts';
import { PluginError } from './PluginError.ts';

/**
 * The tiles must be PNGs of the sizes they claim, each within Figma's image limit, covering the result
 * exactly once: checked before anything is created, so that a bad result leaves the document untouched.
 */
export function checkResultTiles({ width, height, tiles }: Pick<UiToMainPayload<'result-ready'>, 'width' | 'height' | 'tiles'>): void {
  let area = 0;
  for (const [i, tile] of tiles.entries()) {
    const size = readPngSize(tile.png);
    const where = `tiles[${i}]`;
    if (!size) throw new PluginError('place-failed', `The result (${where}) is not a PNG image.`);
    if (size.width !== tile.width || size.height !== tile.height) {
      throw new PluginError('place-failed', `The result (${where}) is ${size.width} × ${size.height} px but should be ${tile.width} × ${tile.height}.`);
    }
    if (tile.width > FIGMA_MAX_IMAGE_SIDE || tile.height > FIGMA_MAX_IMAGE_SIDE) {
      throw new PluginError('place-failed', `The result (${where}) is larger than Figma's ${FIGMA_MAX_IMAGE_SIDE} px image limit.`);
    }
    if (tile.x + tile.width > width || tile.y + tile.height > height) {
      throw new PluginError('place-failed', `The result (${where}) lies outside the ${width} × ${height} image.`);
    }
    area += tile.width * tile.height;
  }
  if (area !== width * height) throw new PluginError('place-failed', `The result's tiles do not cover the ${width} × ${height} image exactly.`);
}
