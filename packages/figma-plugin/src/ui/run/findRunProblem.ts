import { MAX_STYLES } from '@pastiche/core';
import type { UiState } from '../state/UiState.ts';
import { ADVANCED_FIELDS, findTextureProblem } from '@pastiche/web-bridge/ui';

export const CHOOSE_CONTENT = 'Choose the layer to paint (Use as content).';

/** Why Stylize cannot start yet, in the words the panel shows; undefined when it can. */
export function findRunProblem(state: Pick<UiState, 'selection' | 'roles' | 'presets' | 'ignored' | 'fieldProblems' | 'settings' | 'textureText'>): string | undefined {
  if (state.selection.length === 0) {
    return state.ignored > 0
      ? 'The selected layers cannot be exported. Select frames, images or shapes.'
      : 'Nothing selected. Select the layer to paint, then the layers whose style it should take.';
  }
  if (!state.roles.contentId) {
    // No content: a seamless texture from the styles alone (with Pattern on).
    const problem = findTextureProblem(state, CHOOSE_CONTENT);
    if (problem) return problem;
  }
  const styles = [...state.roles.styles, ...state.presets];
  if (styles.length === 0) return 'Add a style: also select one or more layers to borrow the style from, or pick a style preset.';
  if (styles.length > MAX_STYLES) return `At most ${MAX_STYLES} styles can blend: leave ${styles.length - MAX_STYLES} out.`;
  if (styles.length > 1 && !styles.some((s) => s.weight > 0)) return 'Every style weight is 0: raise at least one.';
  const field = Object.keys(state.fieldProblems)[0];
  if (field) return `Fix “${ADVANCED_FIELDS.find((f) => f.key === field)?.label ?? field}” in Advanced first.`;
  return undefined;
}
