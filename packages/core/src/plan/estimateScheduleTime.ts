import type { Engine } from '../engines/types.ts';
import { objectiveSteps } from './planObjective.ts';
import type { ResolvedOptions } from '../request/types.ts';
import { objectiveSettings } from '../stylize.ts';
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

/** Times one evaluation of these options' objective on `engine` at `side` px (calibrateEvaluation), and says what was measured. */
export async function calibrateEngine(engine: Engine, options: ResolvedOptions, side = 256): Promise<EvaluationCalibration> {
  const steps = objectiveSteps(options);
  const msPerPixel = await calibrateEvaluation(engine, objectiveSettings(options), side);
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
  const steps = objectiveSteps(options);
  const measured = convMacs(stepsThrough(calibration.model, [calibration.throughLayer]));
  const msPerPixel = measured > 0 ? (calibration.msPerPixel * convMacs(steps)) / measured : calibration.msPerPixel;
  const contentLayers = options.contentWeight > 0 ? options.contentLayers : [];
  const perScaleMs = plans.map((plan, i) => estimateEvaluationMs(plan, msPerPixel, steps, contentLayers) * (options.evaluations[i] * RUN_COSTS.perEvaluation + RUN_COSTS.setup));
  return { ms: perScaleMs.reduce((a, b) => a + b, 0), perScaleMs, upperBound: options.plateau !== undefined };
}
