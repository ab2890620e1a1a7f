import { findStyleProblem, findTextureProblem } from '@pastiche/web-bridge/ui';
import { FIGMA_WORDS } from '../engine/figmaWords.ts';
import type { UiState } from '../state/UiState.ts';

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
  return findStyleProblem([...state.roles.styles, ...state.presets], state.fieldProblems, FIGMA_WORDS);
}
