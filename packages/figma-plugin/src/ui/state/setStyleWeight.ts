import type { RoleState } from './UiState.ts';

export function setStyleWeight(roles: RoleState, id: string, weight: number): RoleState {
  return { ...roles, styles: roles.styles.map((s) => (s.id === id ? { ...s, weight } : s)) };
}
