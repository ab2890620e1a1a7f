import { DEFAULT_STYLE_WEIGHT } from './reconcileRoles.ts';
import type { RoleState } from './UiState.ts';

/** Puts every layer the user took out back in as a style (or as the content, if there is none). */
export function restoreExcluded(roles: RoleState): RoleState {
  const [first, ...rest] = roles.excluded;
  if (first === undefined) return roles;
  const contentId = roles.contentId ?? first;
  const back = (roles.contentId ? roles.excluded : rest).map((id) => ({ id, weight: DEFAULT_STYLE_WEIGHT }));
  return { ...roles, contentId, styles: [...roles.styles, ...back], excluded: [] };
}
