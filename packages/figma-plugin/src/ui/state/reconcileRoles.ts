import type { Roles, SelectedNode } from '../../messages/messageSchemas.ts';
import type { RoleState } from './UiState.ts';

/** A new style's weight before the user moves its slider: all styles equal. */
export const DEFAULT_STYLE_WEIGHT = 50;

/**
 * Roles after the selection changed: layers still selected keep their part and weight; the content stays
 * the content while selected, else the first selected layer takes over; newly selected layers join as
 * styles, except plain shapes, which are left out (they mark regions, see Use selection as region); with no
 * content by the user's choice (a texture), none is taken while any style stays selected. Roles a result
 * remembered win when their content is in the selection.
 */
export function reconcileRoles(previous: RoleState, nodes: readonly SelectedNode[], remembered: Roles | null): RoleState {
  const ids = new Set(nodes.map((n) => n.id));
  if (remembered && ids.has(remembered.contentId)) {
    const styles = remembered.styles.filter((s) => ids.has(s.id) && s.id !== remembered.contentId);
    const known = new Set([remembered.contentId, ...styles.map((s) => s.id)]);
    return { contentId: remembered.contentId, styles, excluded: nodes.filter((n) => !known.has(n.id)).map((n) => n.id) };
  }
  const moreContents = (previous.moreContents ?? []).filter((id) => ids.has(id));
  const known = new Set([previous.contentId, ...moreContents, ...previous.styles.map((s) => s.id), ...previous.excluded]);
  const excluded = [...previous.excluded.filter((id) => ids.has(id)), ...nodes.filter((n) => n.shape && !known.has(n.id)).map((n) => n.id)];
  // No content by the user's choice (its content made a style: a texture) stays so while styles are selected.
  const noContent = previous.contentId === null && previous.styles.some((s) => ids.has(s.id));
  const contentId = noContent ? null : previous.contentId && ids.has(previous.contentId) ? previous.contentId : (nodes.find((n) => !excluded.includes(n.id))?.id ?? null);
  const weights = new Map(previous.styles.map((s) => [s.id, s.weight]));
  const more = moreContents.filter((id) => id !== contentId);
  const styles = nodes
    .filter((n) => n.id !== contentId && !more.includes(n.id) && !excluded.includes(n.id))
    .map((n) => ({ id: n.id, weight: weights.get(n.id) ?? DEFAULT_STYLE_WEIGHT }));
  return { contentId, ...(more.length && { moreContents: more }), styles, excluded };
}
