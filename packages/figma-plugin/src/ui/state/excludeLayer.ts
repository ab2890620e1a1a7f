import type { RoleState } from './UiState.ts';

/** Takes a style (or another content) out of the run (the layer stays selected in Figma). */
export function excludeLayer(roles: RoleState, id: string): RoleState {
  const { moreContents, ...rest } = roles;
  const more = moreContents?.filter((c) => c !== id);
  return { ...rest, ...(more?.length && { moreContents: more }), styles: roles.styles.filter((s) => s.id !== id), excluded: [...roles.excluded, id] };
}
