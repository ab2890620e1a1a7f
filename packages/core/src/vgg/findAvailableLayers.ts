import { PasticheInputError } from '../request/PasticheInputError.ts';
import type { ConvWeightsByLayer } from '../weights/types.ts';
import { vggArchitecture, type VggModelName } from './architecture.ts';

/**
 * The conv layers whose weights are present, in network order: a prefix of the network (a partial
 * download such as blocks 1–3 still serves shallow layers). Throws if a present layer has the wrong shape.
 */
export function findAvailableLayers(model: VggModelName, weights: ConvWeightsByLayer): string[] {
  const available: string[] = [];
  for (const step of vggArchitecture(model)) {
    if (step.kind !== 'conv') continue;
    const w = weights.get(step.name);
    if (!w) break;
    const expected = [3, 3, step.inChannels, step.outChannels];
    if (w.kernelShape.join() !== expected.join() || w.bias.length !== step.outChannels) {
      throw new Error(`${model} weights for ${step.name} have kernel [${w.kernelShape}] and ${w.bias.length} biases, expected [${expected}] and ${step.outChannels}`);
    }
    available.push(step.name);
  }
  if (available.length === 0) throw new Error(`the weights contain no ${model} conv layers (expected block1_conv1 first)`);
  return available;
}

/** Throws a PasticheInputError naming the field, the layer and the layers present if a layer cannot be computed. */
export function checkLayersAvailable(model: VggModelName, available: readonly string[], layers: readonly string[], field = 'layers'): void {
  for (const layer of layers) {
    if (available.includes(layer)) continue;
    const known = vggArchitecture(model).some((s) => s.kind === 'conv' && s.name === layer);
    throw new PasticheInputError(
      field,
      `${known ? `the ${model} weights in use lack layer` : `${model} has no layer`} "${layer}"; layers present: ${available.join(', ')}`,
    );
  }
}
