import type { SelectedNode } from '../../messages/messageSchemas.ts';
import type { UiState } from './UiState.ts';

/** The selected layers that can become a style's region: those left out of the run, unless another style already uses them. */
export function findRegionCandidates(state: Pick<UiState, 'selection' | 'roles' | 'regions'>, styleId: string): SelectedNode[] {
  const taken = new Set(Object.entries(state.regions).flatMap(([id, region]) => (id === styleId ? [] : region.nodeIds)));
  return state.selection.filter((node) => state.roles.excluded.includes(node.id) && !taken.has(node.id));
}
