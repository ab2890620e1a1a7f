import { resolveRunOptions } from '@pastiche/web-bridge/settings';
import type { Store } from '@pastiche/web-bridge/ui';
import type { UiState } from '../state/UiState.ts';
import { drawRegionThumbnail } from './drawRegionThumbnail.ts';

/** Sets how soft the region's edge is (px of the output) and redraws its thumbnail to match. */
export async function setRegionFeather(store: Store<UiState>, styleId: string, feather: number): Promise<void> {
  const region = store.get().regions[styleId];
  if (!region) return;
  store.update((s) => ({ regions: { ...s.regions, [styleId]: { ...s.regions[styleId], feather } } }));
  const thumbnail = await drawRegionThumbnail(region.preview, feather, resolveRunOptions(store.get().settings).size);
  store.update((s) => {
    const current = s.regions[styleId];
    // Dropped if the region changed meanwhile, or a later move of the slider already drew its own.
    if (!current || current.preview !== region.preview || current.feather !== feather) {
      URL.revokeObjectURL(thumbnail);
      return {};
    }
    URL.revokeObjectURL(current.thumbnail);
    return { regions: { ...s.regions, [styleId]: { ...current, thumbnail } } };
  });
}
