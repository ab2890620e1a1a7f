import { trackObjective } from './trackObjective.ts';
import { takeOptimizerState, type AdamState, type OptimizerState } from './optimizerState.ts';
import type { MinimizeHints, MinimizeResult, Objective, Optimizer } from './types.ts';

export interface AdamConfig {
  /** Step size, in the units of x (pixels are 0–255, hence the large default). */
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const DEFAULT_ADAM_CONFIG: Readonly<AdamConfig> = {
  learningRate: 10,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
};

function validateAdamConfig(config: AdamConfig): void {
  const fail = (field: keyof AdamConfig, requirement: string) => {
    throw new RangeError(`Adam config: ${field} must be ${requirement}, got ${String(config[field])}`);
  };
  if (!(config.learningRate > 0) || !Number.isFinite(config.learningRate)) fail('learningRate', 'finite and > 0');
  if (!(config.beta1 >= 0 && config.beta1 < 1)) fail('beta1', 'in [0, 1)');
  if (!(config.beta2 >= 0 && config.beta2 < 1)) fail('beta2', 'in [0, 1)');
  if (!(config.epsilon > 0) || !Number.isFinite(config.epsilon)) fail('epsilon', 'finite and > 0');
}

/**
 * Adam (Kingma & Ba 2015, Algorithm 1, bias-corrected moments). One evaluation per step; the
 * result is the best point seen, since Adam's loss is not monotone.
 */
export function createAdam(config: Partial<AdamConfig> = {}): Optimizer {
  const settings: AdamConfig = { ...DEFAULT_ADAM_CONFIG, ...config };
  validateAdamConfig(settings);
  const { learningRate, beta1, beta2, epsilon } = settings;

  async function minimize(objective: Objective, x0: Float32Array, maxEvaluations: number, hints: MinimizeHints = {}): Promise<MinimizeResult> {
    let resumed = hints.resume && restoreAdamState(hints.resume, x0.length);
    const tracked = trackObjective(objective, x0, maxEvaluations, resumed?.tracked);
    // Each step makes new x, m and v rather than updating them in place, so that an exported state stays as it was.
    let x = resumed?.x ?? x0;
    let m = resumed?.m ?? new Float32Array(x.length);
    let v = resumed?.v ?? new Float32Array(x.length);
    let iterations = resumed?.iterations ?? 0;
    const firstStep = resumed?.step ?? 1;
    resumed = undefined; // read: the steps replace its arrays, which it must not keep alive
    let stopReason: MinimizeResult['stopReason'] = 'budget';
    for (let t = firstStep; t <= maxEvaluations; t++) {
      if (t > 1) await hints.betweenSteps?.({ kind: 'adam', tracked: tracked.exportState(), x, m, v, step: t, iterations });
      const { loss, grad: g } = await tracked.evaluate(x);
      if (t === 1 && !Number.isFinite(loss)) throw new Error(`objective returned a non-finite loss (${loss}) at the starting point`);
      if (t === maxEvaluations) break; // a further step would lead to a point never evaluated
      if (hints.stopEarly?.(tracked.bestLosses)) {
        stopReason = 'plateau';
        break;
      }
      const [mCorrection, vCorrection] = [1 - beta1 ** t, 1 - beta2 ** t];
      const [xNext, mNext, vNext] = [new Float32Array(x.length), new Float32Array(x.length), new Float32Array(x.length)];
      for (let i = 0; i < x.length; i++) {
        mNext[i] = beta1 * m[i] + (1 - beta1) * g[i];
        vNext[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        xNext[i] = x[i] - (learningRate * (mNext[i] / mCorrection)) / (Math.sqrt(vNext[i] / vCorrection) + epsilon);
      }
      [x, m, v] = [xNext, mNext, vNext];
      iterations += 1;
    }
    const best = tracked.best();
    return { x: best.x, loss: best.loss, evaluations: tracked.evaluations, iterations, stopReason };
  }

  return { minimize };
}

/** Checks that an exported state is Adam's and of this size, and takes its arrays over. */
function restoreAdamState(state: OptimizerState, size: number): AdamState {
  if (state.kind !== 'adam') throw new RangeError(`the state to resume is ${state.kind}'s, not Adam's`);
  if ([state.x, state.m, state.v].some((a) => a.length !== size)) throw new RangeError(`the state to resume is of ${state.x.length} values, not ${size}`);
  return takeOptimizerState(state);
}
