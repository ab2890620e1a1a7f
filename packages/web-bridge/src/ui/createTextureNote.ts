import { findTextureProblem, textureSizeOf, type TextureState } from './textureSize.ts';
import { h } from './h.ts';

/**
 * What the layer list shows in the content's place when no content is chosen: with Pattern on, that the run
 * paints a seamless texture from the styles alone, and its size (typed as the CLI's `--texture`: "WxH" or one
 * side; empty: the run's size squared); without, how to get one. `onText` gets what the user types.
 */
export function createTextureNote(state: TextureState, chooseContent: string, onText: (text: string) => void): HTMLElement {
  if (state.settings.advanced.seamless !== true) return h('p', { class: 'hint texture-note' }, findTextureProblem(state, chooseContent)!);
  const fallback = textureSizeOf({ ...state, textureText: '' });
  const input = h('input', {
    class: 'input texture-size', type: 'text', value: state.textureText, placeholder: `${fallback.width}×${fallback.height}`, spellcheck: false, autocomplete: 'off',
    'aria-label': 'Texture size in px, W×H', dataset: { field: 'texture' },
    oninput: () => onText(input.value),
  });
  const problem = h('p', { class: 'field-problem', hidden: true });
  const showProblem = () => {
    const text = findTextureProblem({ ...state, textureText: input.value }, chooseContent);
    problem.textContent = text ?? '';
    problem.hidden = !text;
    input.classList.toggle('invalid', Boolean(text));
  };
  input.addEventListener('input', showProblem);
  showProblem();
  return h('div', { class: 'texture-note' },
    h('p', { class: 'hint' }, 'No content: Stylize paints a seamless texture from the styles alone.'),
    h('label', { class: 'texture-field' }, h('span', null, 'Texture size, px'), input),
    problem);
}
