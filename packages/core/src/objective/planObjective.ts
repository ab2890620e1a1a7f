import type { ObjectiveSettings } from '../engine/types.ts';
import { NORMALIZATIONS } from '../losses/normalization.ts';
import { vggArchitecture, type VggModelName, type VggStep } from '../vgg/architecture.ts';
import type { ObjectivePlan } from './objective.ts';

/** The network up to the deepest of `layers`. */
export function stepsThrough(model: VggModelName, layers: readonly string[]): VggStep[] {
  const steps = vggArchitecture(model);
  const deepest = Math.max(...layers.map((l) => steps.findIndex((s) => s.name === l)));
  return steps.slice(0, deepest + 1);
}

/** Height, width and channels of each step's output for an image height × width ('valid' pooling floors). */
export function featureShapes(steps: VggStep[], height: number, width: number): Map<string, { height: number; width: number; channels: number }> {
  const shapes = new Map<string, { height: number; width: number; channels: number }>();
  let [h, w, c] = [height, width, 3];
  for (const step of steps) {
    if (step.kind === 'pool') [h, w] = [Math.floor(h / 2), Math.floor(w / 2)];
    else c = step.outChannels;
    shapes.set(step.name, { height: h, width: w, channels: c });
  }
  return shapes;
}

/** The factors of every term at one image size, under the settings' weights and normalisation. */
export function planObjective(
  model: VggModelName,
  s: ObjectiveSettings,
  height: number,
  width: number,
  styleConstants: ReadonlyMap<string, number>,
): ObjectivePlan {
  const n = NORMALIZATIONS[s.normalization];
  const contentLayers = s.contentWeight > 0 ? s.contentLayers : [];
  const styleLayers = s.styleWeight > 0 ? s.styleLayers : [];
  const used = [...contentLayers, ...styleLayers];
  const steps = used.length > 0 ? stepsThrough(model, used) : [];
  const shapes = featureShapes(steps, height, width);
  return {
    steps,
    pooling: s.pooling,
    content: contentLayers.map((layer) => {
      const { height: h, width: w, channels } = shapes.get(layer)!;
      return { layer, factor: s.contentWeight * n.contentFactor(h * w * channels) };
    }),
    style: styleLayers.map((layer) => {
      const { height: h, width: w, channels } = shapes.get(layer)!;
      return {
        layer,
        factor: s.styleWeight * s.styleLayerWeights[s.styleLayers.indexOf(layer)] * n.styleFactor(channels, height, width),
        divisor: n.gramDivisor(h * w),
        constant: styleConstants.get(layer) ?? 0,
      };
    }),
    tvFactor: s.tvWeight * n.tvFactor(height, width),
  };
}
