import { vggArchitecture, type VggModelName, type VggStep } from './architecture.ts';

/** The network (a model's, or `steps`) up to the deepest of `layers`; none without layers. */
export function stepsThrough(network: VggModelName | VggStep[], layers: readonly string[]): VggStep[] {
  const steps = typeof network === 'string' ? vggArchitecture(network) : network;
  const deepest = Math.max(-1, ...layers.map((l) => steps.findIndex((s) => s.name === l)));
  return steps.slice(0, deepest + 1);
}
