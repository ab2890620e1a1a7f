import type { StopRule } from '../optimizers/types.ts';

/**
 * A scale ends early once its loss has stopped falling: the lowest loss `window` evaluations ago and the
 * lowest now differ by less than `minImprovement` of the latter.
 */
export interface PlateauRule {
  window: number;
  minImprovement: number;
}

/** The auto schedule: the longest side of each scale, coarsest first, its evaluation budget, and when a scale ends early. */
export interface AutoSchedule {
  sides: number[];
  evaluations: number[];
  plateau: PlateauRule;
}

/** Each scale's side is the next one's divided by this (crowsonkb's style-transfer-pytorch; see docs/schedule.md). */
export const SCALE_RATIO = Math.SQRT2;
/** The coarsest scale's longest side, or half the result's for results under twice this: the composition settles there for 1/16 of a 512 px evaluation. */
export const COARSEST_SIDE = 128;
/**
 * Budgets: the coarsest scale gets the most (it moves the image furthest from the content, at 1/16 of a
 * 512 px evaluation); each finer scale starts near its result and needs fewer: FINE_BUDGETS from the finest
 * down, the last entry for every scale further from it. See docs/schedule.md for the runs that chose them.
 */
export const COARSEST_BUDGET = 100;
export const FINE_BUDGETS = [30, 40, 50, 60] as const;
/** The smallest side any scale may have (the smallest size a request may ask). */
export const MINIMUM_SIDE = 16;
/** See PlateauRule and docs/schedule.md. */
export const PLATEAU: PlateauRule = { window: 10, minImprovement: 0.005 };

/**
 * The default schedule for a result whose longest side is `size`: scales from about COARSEST_SIDE (half
 * the size for small results) up to `size` by SCALE_RATIO, leaving out the coarse sides at which `fits`
 * says the images are too small for the network (an elongated image's short side would vanish in its
 * pooling). A pure function of its arguments.
 */
export function planSchedule(size: number, fits: (side: number) => boolean = () => true): AutoSchedule {
  const coarsest = Math.max(MINIMUM_SIDE, Math.min(COARSEST_SIDE, size / 2));
  const sides = [size];
  // Sides are size / ratio^k; a hair's tolerance keeps 512 / √2⁴ = 128 in despite floating point.
  for (let k = 1; size / SCALE_RATIO ** k >= coarsest - 1e-9; k++) {
    const side = Math.round(size / SCALE_RATIO ** k);
    if (!fits(side)) break;
    sides.unshift(side);
  }
  const last = FINE_BUDGETS.length - 1;
  const evaluations = sides.map((_, i) => (i === 0 ? COARSEST_BUDGET : FINE_BUDGETS[Math.min(sides.length - 1 - i, last)]));
  return { sides, evaluations, plateau: PLATEAU };
}

/** The plateau rule as the optimisers ask it between steps. */
export function plateauStop({ window, minImprovement }: PlateauRule): StopRule {
  return (best) => {
    const n = best.length;
    if (n <= window) return false;
    const [before, now] = [best[n - 1 - window], best[n - 1]];
    return before - now <= minImprovement * Math.abs(now);
  };
}
