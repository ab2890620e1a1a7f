import type { LayerRef } from '../document/types.ts';
import { findResultRecord } from '../results/resultRecords.ts';
import type { PanelState, ResultRecord } from './PanelState.ts';
import { layerKey, reconcileRoles } from './roles.ts';

/** The active layer when it is a result this panel made from a content (a texture has none to start from), with its record. */
export function findRefineCandidate(state: Pick<PanelState, 'document' | 'results' | 'refine'>): { layer: LayerRef; record: ResultRecord } | undefined {
  if (state.document.status !== 'ready' || !state.document.doc.active) return undefined;
  const { doc } = state.document;
  const layer = doc.active!;
  if (state.refine && layerKey(state.refine) === layerKey(layer)) return undefined;
  const record = findResultRecord(state.results, doc.name, layer.name);
  return record && record.roles.content !== null ? { layer, record } : undefined;
}

/**
 * "Refine": the result's settings, roles and presets come back (its layers found again where they moved, as
 * after any edit), and the next run starts from the result's pixels. Where the run goes (engine, runner,
 * weights) stays as the user has it now.
 */
export function startRefining(state: PanelState, { layer, record }: NonNullable<ReturnType<typeof findRefineCandidate>>): Partial<PanelState> {
  const doc = state.document.status === 'ready' ? state.document.doc : undefined;
  const roles = doc ? reconcileRoles(record.roles, doc, doc) : record.roles;
  return { settings: { ...state.settings, ...record.settings }, roles, presets: record.presets, refine: layer, fieldProblems: {} };
}
