import { findStyleProblem } from '@pastiche/web-bridge/ui';
import type { PanelState } from './PanelState.ts';
import { PHOTOPEA_WORDS } from './photopeaWords.ts';

/** Why Stylize cannot start yet, in the panel's words; undefined when it can. */
export function findRunProblem(state: Pick<PanelState, 'document' | 'roles' | 'presets' | 'fieldProblems'>): string | undefined {
  if (state.document.status === 'reading') return 'Reading the layers…';
  if (state.document.status === 'no-document') return 'Open an image in Photopea first.';
  if (state.document.status === 'failed') return 'The layers could not be read: refresh.';
  if (!state.roles.content) return 'Choose the content: the layer to paint.';
  return findStyleProblem([...state.roles.styles, ...state.presets], state.fieldProblems, PHOTOPEA_WORDS);
}
