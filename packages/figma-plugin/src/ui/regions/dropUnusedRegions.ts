import type { UiState } from '../state/UiState.ts';

/** Regions (and their problems) of layers that are no longer styles, their thumbnails released; null when there are none. */
export function dropUnusedRegions(state: Pick<UiState, 'roles' | 'regions' | 'regionProblems'>): Pick<UiState, 'regions' | 'regionProblems'> | null {
  const styleIds = new Set(state.roles.styles.map((s) => s.id));
  const unused = [...Object.keys(state.regions), ...Object.keys(state.regionProblems)].filter((id) => !styleIds.has(id));
  if (unused.length === 0) return null;
  const regions = { ...state.regions };
  const regionProblems = { ...state.regionProblems };
  for (const id of unused) {
    if (regions[id]) URL.revokeObjectURL(regions[id].thumbnail);
    delete regions[id];
    delete regionProblems[id];
  }
  return { regions, regionProblems };
}
