import { NODE_BACKEND_NAMES } from '@pastiche/core';
import type { BackendListing } from '@pastiche/web-bridge/wire';
import { largestSideForBuffer } from './largestSide.ts';
import { describeLoadError, loadBackend, selectBackend } from './selectBackend.ts';

/** Every engine: whether it loads here (and why not), its device, and what auto picks. */
export async function listBackends(): Promise<BackendListing[]> {
  const auto = await selectBackend('auto').then((c) => c.name, () => undefined);
  const listing: BackendListing[] = [];
  for (const name of NODE_BACKEND_NAMES) {
    try {
      const { device, maxTensorBytes, software } = await loadBackend(name, true);
      listing.push({
        name,
        loads: true,
        auto: name === auto,
        reason: software ? 'a software adapter: auto does not pick it' : undefined,
        device,
        maxTensorBytes,
        largestSide: maxTensorBytes ? largestSideForBuffer(maxTensorBytes) : undefined,
      });
    } catch (error) {
      listing.push({ name, loads: false, auto: false, reason: describeLoadError(error) });
    }
  }
  return listing;
}
