import { resolveRunOptions } from '@pastiche/web-bridge/settings';
import type { Store } from '@pastiche/web-bridge/ui';
import { requestFromMain } from '../messaging/requestFromMain.ts';
import { nextRunId } from '../run/nextRunId.ts';
import { findRegionCandidates } from '../state/findRegionCandidates.ts';
import type { UiState } from '../state/UiState.ts';
import { drawRegionThumbnail } from './drawRegionThumbnail.ts';

/** Regions are previewed at the layer list's thumbnail size (shown at 40 px, twice that for sharp screens). */
export const REGION_PREVIEW_SIDE = 80;

/**
 * "Use selection as region" on a style's row: the selected layers left out of the run (plain shapes are,
 * as soon as they are selected) become that style's region. The main code exports them over the content
 * (refusing one that misses it) and the row shows the mask; a problem is shown on the row instead.
 */
export async function useSelectionAsRegion(store: Store<UiState>, styleId: string): Promise<void> {
  const state = store.get();
  const setProblem = (message: string | undefined) =>
    store.update((s) => {
      const regionProblems = { ...s.regionProblems };
      if (message) regionProblems[styleId] = message;
      else delete regionProblems[styleId];
      return { regionProblems };
    });
  const nodes = findRegionCandidates(state, styleId);
  if (!state.roles.contentId) return setProblem('Choose the content first.');
  if (nodes.length === 0) return setProblem('Also select a shape drawn over the content (a rectangle, an ellipse, a vector…), then click again.');
  try {
    const nodeIds = nodes.map((n) => n.id);
    const { region } = await requestFromMain('region-requested', { runId: nextRunId(), contentId: state.roles.contentId, nodeIds, contentSide: REGION_PREVIEW_SIDE }, 'region-exported');
    const feather = state.regions[styleId]?.feather ?? 0;
    const thumbnail = await drawRegionThumbnail(region, feather, resolveRunOptions(store.get().settings).size);
    store.update((s) => {
      if (s.regions[styleId]) URL.revokeObjectURL(s.regions[styleId].thumbnail);
      return { regions: { ...s.regions, [styleId]: { nodeIds, names: nodes.map((n) => n.name), feather, preview: region, thumbnail } } };
    });
    setProblem(undefined);
  } catch (error) {
    setProblem((error as Error)?.message ?? String(error));
  }
}
