import { fitLongestSide } from '../image/resizeImage.ts';
import type { ResolvedOptions } from '../request/types.ts';
import { objectiveSteps } from './planObjective.ts';

/**
 * Sizes [h, w] of each scale of an image of height × width, coarsest first: its longest side at each of `sides`
 * (options.scaleSides), each side rounded to a multiple of `multiple` (sideMultiple).
 */
export function scaleSizes(height: number, width: number, sides: readonly number[], multiple = 1): Array<[number, number]> {
  const round = (n: number) => Math.max(multiple, Math.round(n / multiple) * multiple);
  return sides.map((side) => fitLongestSide(height, width, side).map(round) as [number, number]);
}

/**
 * What every side of a seamless pattern is a multiple of: 2^pools of the network in use, so that no 2×2
 * pooling window straddles the seam (a 'valid' pool would drop an odd last row, and the pattern's period with
 * it); 1 otherwise.
 */
export function sideMultiple(o: Pick<ResolvedOptions, 'seamless' | 'model' | 'contentLayers' | 'styleLayers' | 'contentWeight' | 'styleWeight'>): number {
  return o.seamless ? 2 ** objectiveSteps(o).filter((s) => s.kind === 'pool').length : 1;
}
