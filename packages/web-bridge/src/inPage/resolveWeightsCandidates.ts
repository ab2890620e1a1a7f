import type { WeightsLocation } from './WeightsLocation.ts';
import type { WeightsCandidate } from './protocol.ts';

/**
 * A weights location as the worker's list of places to try, in order. URLs are made absolute here: a
 * worker started from a Blob URL has no useful base. The runner's token is read now, so a client paired
 * after the engine was created is used as it is then.
 */
export function resolveWeightsCandidates(location: WeightsLocation): WeightsCandidate[] {
  if ('fallback' in location) return location.fallback.flatMap(resolveWeightsCandidates);
  const model = location.model ?? 'vgg16';
  if ('runner' in location) {
    const { runner } = location;
    return [{ url: runner.modelJsonUrl(model), headers: runner.authHeaders(), model, label: `the runner at ${new URL(runner.baseUrl).host}` }];
  }
  const url = new URL(location.url, globalThis.location?.href).href;
  return [{ url, headers: {}, model, label: location.label ?? url }];
}
