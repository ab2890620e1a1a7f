import { DEFAULT_STYLE_WEIGHT } from './reconcileRoles.ts';
import type { RoleState } from './UiState.ts';

/** Swaps roles: `id` becomes the content and the old content becomes a style in its place, with its weight. */
export function makeContent(roles: RoleState, id: string): RoleState {
  if (roles.contentId === id) return roles;
  const index = roles.styles.findIndex((s) => s.id === id);
  const weight = index >= 0 ? roles.styles[index].weight : DEFAULT_STYLE_WEIGHT;
  const styles = roles.styles.filter((s) => s.id !== id);
  if (roles.contentId) styles.splice(index >= 0 ? index : styles.length, 0, { id: roles.contentId, weight });
  const moreContents = roles.moreContents?.filter((c) => c !== id);
  return { contentId: id, ...(moreContents?.length && { moreContents }), styles, excluded: roles.excluded.filter((e) => e !== id) };
}
