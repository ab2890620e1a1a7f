import { problemOfStatus, type WeightsProblem } from './weightsProblem.ts';

export type WeightsCheck = { ok: true } | { ok: false; problem: WeightsProblem };

const checks = new Map<string, Promise<WeightsCheck>>();

/**
 * Whether a weights source serves its model.json to this page, asked once per URL for the session (a few KB;
 * the panels ask before they offer to paint in the plugin, so that a source that cannot work is said before
 * Stylize, not after).
 */
export function checkWeightsSource(modelJsonUrl: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<WeightsCheck> {
  let check = checks.get(modelJsonUrl);
  if (!check) {
    check = probe(modelJsonUrl, fetchImpl);
    checks.set(modelJsonUrl, check);
  }
  return check;
}

async function probe(url: string, fetchImpl: typeof fetch): Promise<WeightsCheck> {
  try {
    const response = await fetchImpl(url, { cache: 'no-cache' });
    await response.body?.cancel();
    return response.ok ? { ok: true } : { ok: false, problem: problemOfStatus(url, response.status) };
  } catch {
    return { ok: false, problem: await whyNoAnswer(url, fetchImpl) };
  }
}

/**
 * After a fetch of `url` failed outright (a bare TypeError, whatever the cause): asked again without CORS, an
 * opaque answer means the host is there but does not serve this origin; another failure, that nothing answered.
 */
export async function whyNoAnswer(url: string, fetchImpl: typeof fetch = globalThis.fetch): Promise<WeightsProblem> {
  const hostAnswers = await fetchImpl(url, { mode: 'no-cors', cache: 'no-cache' }).then(
    (response) => (void response.body?.cancel(), true),
    () => false,
  );
  return { kind: hostAnswers ? 'blocked' : 'unreachable', url };
}
