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

/**
 * Each scale's side is the next one's divided by this. Measured at 128 px (Tübingen × Starry Night, blocks
 * 1–3, 75 final-size-equivalent evaluations): ratio 2 (64 → 128 px, 40 + 65 evaluations) reached loss 329k,
 * √2 (64 → 91 → 128, 40 + 20 + 50) 337k, one scale 343k. Every scale change restarts L-BFGS, whose first
 * evaluations at a scale are its least effective: fewer, larger steps pay (docs/schedule.md).
 */
export const SCALE_RATIO = 2;
/** The coarsest scale's longest side, or half the result's for results under twice this: the composition settles there for 1/16 of a 512 px evaluation. */
export const COARSEST_SIDE = 128;
/**
 * Budgets. The coarse scales settle the composition cheaply (at 128 px an evaluation costs 1/16 of one at
 * 512 px), but past about 40 evaluations there the loss at the final size no longer gains: at 128 px, 100
 * coarse + 50 final evaluations reached 344k, 40 + 65 (the same cost) 329k. The finest scale gets the most
 * evaluations, each coarser one COARSE_BUDGET.
 */
export const COARSE_BUDGET = 40;
export const FINEST_BUDGET = 60;
/**
 * Past this side the finest budget shrinks as 1/√side (finestBudget): at 2048 px 42, at 4096 px 30. There the
 * finest scale is 82–91 % of the time (one 4096 px evaluation in tiles ≈ 1.9 min on 2 cores) and its last
 * evaluations add texture finer than a print shows; 60 would make a 2048 px poster 16 min and a 4096 px one
 * 2 h (docs/schedule.md, "Posters").
 */
export const LARGE_SIDE = 1024;
/**
 * The preview schedule (the panels' Preview preset): the auto schedule's scales and coarse budgets, few
 * evaluations at the finest scale, where one costs about four coarse ones (docs/schedule.md, "Preview").
 */
export const PREVIEW_FINEST_BUDGET = 20;
/** The smallest side any scale may have (the smallest size a request may ask). */
export const MINIMUM_SIDE = 16;
/** See PlateauRule and docs/schedule.md. */
export const PLATEAU: PlateauRule = { window: 10, minImprovement: 0.005 };

/** The planned schedules: auto (the default) and preview (the same scales, a short finest scale). */
export type PlannedSchedule = 'auto' | 'preview';

/**
 * The default schedule for a result whose longest side is `size`: scales from about COARSEST_SIDE (half
 * the size for small results) up to `size` by SCALE_RATIO, leaving out the coarse sides at which `fits`
 * says the images are too small for the network (an elongated image's short side would vanish in its
 * pooling). A pure function of its arguments.
 */
export function planSchedule(size: number, fits: (side: number) => boolean = () => true, kind: PlannedSchedule = 'auto'): AutoSchedule {
  const coarsest = Math.max(MINIMUM_SIDE, Math.min(COARSEST_SIDE, size / 2));
  const sides = [size];
  // Sides are size / ratio^k; a hair's tolerance keeps a side of exactly `coarsest` in despite floating point.
  for (let k = 1; size / SCALE_RATIO ** k >= coarsest - 1e-9; k++) {
    const side = Math.round(size / SCALE_RATIO ** k);
    if (!fits(side)) break;
    sides.unshift(side);
  }
  const finest = finestBudget(size, kind);
  const evaluations = sides.map((_, i) => (i === sides.length - 1 ? finest : COARSE_BUDGET));
  return { sides, evaluations, plateau: PLATEAU };
}

/**
 * The auto schedule of a run that starts from an image (options.init 'image': refining an earlier result):
 * one scale at the full size. A coarse first scale would shrink the image and throw away the detail it
 * already has, then paint it again.
 */
export function planRefineSchedule(size: number, kind: PlannedSchedule = 'auto'): AutoSchedule {
  return { sides: [size], evaluations: [finestBudget(size, kind)], plateau: PLATEAU };
}

/** The finest scale's budget: FINEST_BUDGET up to LARGE_SIDE, then × √(LARGE_SIDE / size), never under the preview's. */
export function finestBudget(size: number, kind: PlannedSchedule = 'auto'): number {
  if (kind === 'preview') return PREVIEW_FINEST_BUDGET;
  return Math.max(PREVIEW_FINEST_BUDGET, Math.round(FINEST_BUDGET * Math.min(1, Math.sqrt(LARGE_SIDE / size))));
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
