import { findStyleProblem, findTextureProblem } from '@pastiche/web-bridge/ui';
import type { PanelState } from './PanelState.ts';
import { PHOTOPEA_WORDS } from './photopeaWords.ts';

export const CHOOSE_CONTENT = 'Choose the content: the layer to paint.';

/** Why Stylize cannot start yet, in the panel's words; undefined when it can. */
export function findRunProblem(state: Pick<PanelState, 'document' | 'roles' | 'presets' | 'fieldProblems' | 'settings' | 'textureText'>): string | undefined {
  if (state.document.status === 'reading') return 'Reading the layers…';
  if (state.document.status === 'no-document') return 'Open an image in Photopea first.';
  if (state.document.status === 'failed') return 'The layers could not be read: refresh.';
  if (!state.roles.content) {
    // No content: a seamless texture from the styles alone (with Pattern on), unless other layers are marked Content.
    const problem = state.roles.moreContents?.length ? CHOOSE_CONTENT : findTextureProblem(state, CHOOSE_CONTENT);
    if (problem) return problem;
  }
  return findStyleProblem([...state.roles.styles, ...state.presets], state.fieldProblems, PHOTOPEA_WORDS);
}
