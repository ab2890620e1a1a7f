const CACHE_NAME = 'pastiche-weights';
const VERSION_PARAM = 'pastiche-weights';

export interface WeightsCache {
  get(url: string, version: string): Promise<Uint8Array | undefined>;
  put(url: string, version: string, bytes: Uint8Array): Promise<void>;
  /** Drops the files under `folder` kept for any other version (weights the runner no longer serves). */
  prune(folder: string, version: string): Promise<void>;
}

/**
 * The Cache API, where this worker may use it. An opaque origin (Figma's plugin iframe, and the workers it
 * starts) has none: the weights then live in memory for this session only (the browser's HTTP cache may
 * still keep the files). Entries are keyed by URL and the model.json's digest, so that new weights at
 * the same URL are fetched again.
 */
export async function openWeightsCache(): Promise<WeightsCache | undefined> {
  let cache: Cache;
  try {
    if (globalThis.origin === 'null' || typeof caches === 'undefined') return undefined;
    cache = await caches.open(CACHE_NAME);
  } catch {
    return undefined; // SecurityError: storage is blocked here
  }
  const key = (url: string, version: string) => {
    const versioned = new URL(url);
    versioned.searchParams.set(VERSION_PARAM, version);
    return versioned.href;
  };
  return {
    async get(url, version) {
      const response = await cache.match(key(url, version)).catch(() => undefined);
      return response ? new Uint8Array(await response.arrayBuffer()) : undefined;
    },
    async put(url, version, bytes) {
      await cache.put(key(url, version), new Response(bytes as BlobPart)).catch(() => {}); // over quota: memory only
    },
    async prune(folder, version) {
      for (const request of await cache.keys()) {
        const url = new URL(request.url);
        if (request.url.startsWith(folder) && url.searchParams.get(VERSION_PARAM) !== version) await cache.delete(request);
      }
    },
  };
}
