import { trackObjective } from './trackObjective.ts';
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
    const tracked = trackObjective(objective, x0, maxEvaluations);
    const x = x0.slice();
    const m = new Float32Array(x.length);
    const v = new Float32Array(x.length);
    let iterations = 0;
    let stopReason: MinimizeResult['stopReason'] = 'budget';
    for (let t = 1; t <= maxEvaluations; t++) {
      const { loss, grad: g } = await tracked.evaluate(x);
      if (t === 1 && !Number.isFinite(loss)) throw new Error(`objective returned a non-finite loss (${loss}) at the starting point`);
      if (t === maxEvaluations) break; // a further step would lead to a point never evaluated
      if (hints.stopEarly?.(tracked.bestLosses)) {
        stopReason = 'plateau';
        break;
      }
      const [mCorrection, vCorrection] = [1 - beta1 ** t, 1 - beta2 ** t];
      for (let i = 0; i < x.length; i++) {
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        x[i] -= (learningRate * (m[i] / mCorrection)) / (Math.sqrt(v[i] / vCorrection) + epsilon);
      }
      iterations += 1;
    }
    const best = tracked.best();
    return { x: best.x, loss: best.loss, evaluations: tracked.evaluations, iterations, stopReason };
  }

  return { minimize };
}
