import { DEFAULT_STYLE_WEIGHT } from './reconcileRoles.ts';
import type { RoleState } from './UiState.ts';

/** Marks a style layer as another content: painted with the same styles in the same click, one result each. */
export function addContent(roles: RoleState, id: string): RoleState {
  if (!roles.styles.some((s) => s.id === id)) return roles;
  return { ...roles, moreContents: [...(roles.moreContents ?? []), id], styles: roles.styles.filter((s) => s.id !== id) };
}

/**
 * A content back to a style, at the default weight. The content itself gives its place to the next layer
 * marked Content, or to none: then the run paints a texture from the styles alone (with Pattern on).
 */
export function contentToStyle(roles: RoleState, id: string): RoleState {
  const { moreContents, ...rest } = roles;
  const others = (moreContents ?? []).filter((c) => c !== id);
  const [contentId, more] = roles.contentId === id ? [others[0] ?? null, others.slice(1)] : [roles.contentId, others];
  return { ...rest, contentId, ...(more.length && { moreContents: more }), styles: [...roles.styles, { id, weight: DEFAULT_STYLE_WEIGHT }] };
}
