import type { PanelState } from './PanelState.ts';
import { ADVANCED_FIELDS, findTextureProblem } from '@pastiche/web-bridge/ui';

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
  const styles = [...state.roles.styles, ...state.presets];
  if (styles.length === 0) return 'Add a style: a layer to take the style from, or a style preset.';
  if (styles.length > 1 && !styles.some((s) => s.weight > 0)) return 'Every style weight is 0: raise one.';
  const field = Object.keys(state.fieldProblems)[0];
  if (field) return `Fix “${ADVANCED_FIELDS.find((f) => f.key === field)?.label ?? field}” in Advanced first.`;
  return undefined;
}
