import type { Engine } from '../engines/types.ts';
import { objectiveSettings, objectiveSteps } from './planObjective.ts';
import type { ResolvedOptions } from '../request/types.ts';
import { vggConvLayerNames, type VggModelName } from '../vgg/architecture.ts';
import { stepsThrough } from '../vgg/stepsThrough.ts';
import { calibrateEvaluation, convMacs, estimateEvaluationMs } from './calibrateEvaluation.ts';
import type { ScalePlan } from './ScalePlan.ts';

/**
 * An engine's measured speed: milliseconds per input pixel of one evaluation through `model` up to
 * `throughLayer`. It crosses boundaries (the runner's health, the panels), so it names the network it was
 * measured on: a run of another depth is priced by its share of the multiply-adds.
 */
export interface EvaluationCalibration {
  msPerPixel: number;
  model: VggModelName;
  throughLayer: string;
}

/** The time a whole schedule takes, every scale spending its budget; `upperBound` where a scale may end sooner (the plateau rule). */
export interface ScheduleTime {
  ms: number;
  perScaleMs: number[];
  upperBound: boolean;
}

/** Times one evaluation of these options' objective on `engine` at `side` px (calibrateEvaluation, which `signal` stops), and says what was measured. */
export async function calibrateEngine(engine: Engine, options: ResolvedOptions, side = 256, signal?: AbortSignal): Promise<EvaluationCalibration> {
  const steps = objectiveSteps(options);
  const msPerPixel = await calibrateEvaluation(engine, objectiveSettings(options), side, signal);
  return { msPerPixel, model: options.model, throughLayer: steps[steps.length - 1]?.name ?? vggConvLayerNames(options.model)[0] };
}

/**
 * What a run spends beyond the calibrated evaluations, in evaluations of each scale (onnx-cpu, session 12,
 * docs/schedule.md "The estimate"): the estimates were 0.77–0.93× the actual times before these were added.
 * - perEvaluation: an evaluation in a run costs 1.1–1.3× a calibrated one: the optimiser's vector work (L-BFGS's
 *   two-loop over up to 30 pairs of the image's size), the progress, the checkpoints (fixed 512 px runs: 1.10,
 *   1.14, 1.29; the 2048 px run's scales from 512 px up: 1.23 of its dry run's price per pixel). 1.15.
 * - setup: a scale's targets (the content's and the styles' forward passes) and its objective's session:
 *   1.3–1.5 evaluations of the scale from 512 px up (3.7 s at 512 px, 13.5 s at 1024 against 2.4 and 10.1 s
 *   evaluations), more below (a fixed part near 1 s). 1.5.
 */
export const RUN_COSTS = { perEvaluation: 1.15, setup: 1.5 } as const;

/**
 * The expected time of the schedule these plans lay out (planScales of options.scaleSides): each scale's
 * time per evaluation (estimateEvaluationMs: tiles and all) times its budget and what a run adds (RUN_COSTS),
 * summed. The one definition of a run's time before it starts: `pastiche stylize --dry-run`, the bench and
 * the panels use it.
 */
export function estimateScheduleTime(options: ResolvedOptions, plans: readonly ScalePlan[], calibration: EvaluationCalibration): ScheduleTime {
  const measured = convMacs(stepsThrough(calibration.model, [calibration.throughLayer]));
  const msPerPixel = measured > 0 ? (calibration.msPerPixel * convMacs(objectiveSteps(options))) / measured : calibration.msPerPixel;
  const perScaleMs = evaluationCosts(options, plans).map((cost, i) => cost * msPerPixel * (options.evaluations[i] * RUN_COSTS.perEvaluation + RUN_COSTS.setup));
  return { ms: perScaleMs.reduce((a, b) => a + b, 0), perScaleMs, upperBound: options.plateau !== undefined };
}

/**
 * Each scale's evaluation in pixels of an untiled one (estimateEvaluationMs at 1 ms per pixel): what one
 * scale's evaluation costs against another's, tiles included. A run's time left is priced with it from the
 * evaluations it has timed (stylize's progress).
 */
export function evaluationCosts(options: ResolvedOptions, plans: readonly ScalePlan[]): number[] {
  const steps = objectiveSteps(options);
  const contentLayers = options.contentWeight > 0 ? options.contentLayers : [];
  return plans.map((plan) => estimateEvaluationMs(plan, 1, steps, contentLayers));
}

/**
 * A running schedule's time left (the progress's ETA): the rest of this scale's budget at the pace of its
 * evaluations so far, and each later scale's budget and setup priced from that pace by its cost against this
 * scale's (evaluationCosts). Pixels alone priced a tiled scale too low: the plan prices a tiled evaluation at
 * about twice an untiled one per pixel (2.15× at 4096 px; 1.7× measured there, docs/schedule.md).
 */
export function estimateTimeLeft(costs: readonly number[], budgets: readonly number[], scale: number, evaluation: number, msPerEvaluation: number): number {
  let remaining = Math.max(0, budgets[scale] - evaluation) * msPerEvaluation;
  const setup = RUN_COSTS.setup / RUN_COSTS.perEvaluation;
  for (let i = scale + 1; i < costs.length; i++) remaining += msPerEvaluation * (costs[i] / costs[scale]) * (budgets[i] + setup);
  return remaining;
}
