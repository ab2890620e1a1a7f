import * as tf from '@tensorflow/tfjs-core';
import { trackObjective } from './trackObjective.ts';
import type { MinimizeResult, Objective, Optimizer } from './types.ts';

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

  async function minimize(objective: Objective, x0: tf.Tensor1D, maxEvaluations: number): Promise<MinimizeResult> {
    const tracked = trackObjective(objective, x0, maxEvaluations);
    let x = tf.clone(x0);
    let m: tf.Tensor1D = tf.zerosLike(x0);
    let v: tf.Tensor1D = tf.zerosLike(x0);
    let grad: tf.Tensor1D | undefined;
    try {
      let iterations = 0;
      for (let t = 1; t <= maxEvaluations; t++) {
        const evaluation = await tracked.evaluate(x);
        grad = evaluation.grad;
        if (t === 1 && !Number.isFinite(evaluation.loss)) {
          throw new Error(`objective returned a non-finite loss (${evaluation.loss}) at the starting point`);
        }
        if (t === maxEvaluations) break; // a further step would lead to a point never evaluated
        const g = grad;
        const [nextX, nextM, nextV] = tf.tidy(() => {
          const mt = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)) as tf.Tensor1D;
          const vt = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)) as tf.Tensor1D;
          const mHat = tf.div(mt, 1 - beta1 ** t);
          const vHat = tf.div(vt, 1 - beta2 ** t);
          const update = tf.div(tf.mul(mHat, learningRate), tf.add(tf.sqrt(vHat), epsilon));
          return [tf.sub(x, update) as tf.Tensor1D, mt, vt];
        });
        x.dispose();
        m.dispose();
        v.dispose();
        g.dispose();
        grad = undefined;
        [x, m, v] = [nextX, nextM, nextV];
        iterations += 1;
      }
      const best = tracked.takeBest();
      return { x: best.x, loss: best.loss, evaluations: tracked.evaluations, iterations, stopReason: 'budget' };
    } finally {
      x.dispose();
      m.dispose();
      v.dispose();
      grad?.dispose();
      tracked.dispose();
    }
  }

  return { minimize };
}
