import type { Store } from '@pastiche/web-bridge/ui';
import type { UiState } from '../state/UiState.ts';

/** The style paints everywhere again; its region's layers stay selected and left out of the styles. */
export function clearRegion(store: Store<UiState>, styleId: string): void {
  store.update((state) => {
    const regions = { ...state.regions };
    if (regions[styleId]) URL.revokeObjectURL(regions[styleId].thumbnail);
    delete regions[styleId];
    return { regions };
  });
}
