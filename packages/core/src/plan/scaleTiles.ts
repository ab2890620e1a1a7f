import type { ObjectiveSettings, VggImage } from '../engines/types.ts';
import type { VggStep } from '../vgg/architecture.ts';
import { layoutTiles, type TileLayout } from './layoutTiles.ts';

/**
 * One scale's tiles (one tile when the content fits `tileSize`), and whether they compute their content targets
 * from the content's pixels in each pass (Engine.prepareScale's `contentPerTile`): only with several tiles, and
 * never for a seamless pattern, whose tiles read the periodic image and would get the periodic content's features.
 */
export function scaleTiles(steps: VggStep[], content: VggImage, tileSize: number, s: Pick<ObjectiveSettings, 'seamless'>, contentPerTile: boolean): { layout: TileLayout; perTile: boolean } {
  const layout = layoutTiles(steps, content.height, content.width, tileSize, s.seamless);
  return { layout, perTile: contentPerTile && layout.tiles.length > 1 && !s.seamless };
}
