import type { RoleState } from './UiState.ts';

/** Takes a style out of the run (the layer stays selected in Figma). */
export function excludeLayer(roles: RoleState, id: string): RoleState {
  return { ...roles, styles: roles.styles.filter((s) => s.id !== id), excluded: [...roles.excluded, id] };
}
