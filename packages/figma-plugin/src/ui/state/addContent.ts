import { DEFAULT_STYLE_WEIGHT } from './reconcileRoles.ts';
import type { RoleState } from './UiState.ts';

/** Marks a style layer as another content: painted with the same styles in the same click, one result each. */
export function addContent(roles: RoleState, id: string): RoleState {
  if (!roles.styles.some((s) => s.id === id)) return roles;
  return { ...roles, moreContents: [...(roles.moreContents ?? []), id], styles: roles.styles.filter((s) => s.id !== id) };
}

/** Another content back to a style, at the default weight. */
export function contentToStyle(roles: RoleState, id: string): RoleState {
  const { moreContents, ...rest } = roles;
  const more = (moreContents ?? []).filter((c) => c !== id);
  return { ...rest, ...(more.length && { moreContents: more }), styles: [...roles.styles, { id, weight: DEFAULT_STYLE_WEIGHT }] };
}
