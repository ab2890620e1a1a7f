import { QUALITY_PRESETS, type QualityPresetName } from '../settings/qualityPresets.ts';
import type { RunSettings } from '../settings/resolveRunOptions.ts';
import { describeRunMemory, estimateRunMemory } from '../settings/estimateRunMemory.ts';
import type { Store } from './createStore.ts';
import { h } from './h.ts';
import type { HostWords } from './HostWords.ts';

/**
 * Quality: three buttons, each with the output size it gives, a note when Advanced sets the size, and the
 * memory the run takes in the page; when it cannot fit there, the largest size that does, one click away.
 */
export function mountQuality<S extends { settings: RunSettings }>(root: HTMLElement, store: Store<S>, words: HostWords): void {
  const names = Object.keys(QUALITY_PRESETS) as QualityPresetName[];
  const buttons = names.map((name) =>
    h('button', { class: 'segment', role: 'radio', dataset: { preset: name }, onclick: () => store.update((s) => ({ settings: { ...s.settings, preset: name } }) as Partial<S>) },
      h('span', { class: 'segment-label' }, QUALITY_PRESETS[name].label),
      h('span', { class: 'segment-sub' }, `${QUALITY_PRESETS[name].options.size} px`)));
  const note = h('p', { class: 'hint' });
  const memory = h('p', { class: 'hint', dataset: { role: 'memory-estimate' } });
  const useLargest = h('button', { class: 'button button-secondary', dataset: { action: 'use-largest-size' } });
  root.replaceChildren(h('div', { class: 'section-header' }, h('h2', null, 'Quality')), h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Quality' }, ...buttons), note, memory, useLargest);

  const draw = (state: S) => {
    const size = state.settings.advanced.size;
    // A size set in Advanced overrides the preset's: no preset is what the run makes then.
    for (const [i, button] of buttons.entries()) button.setAttribute('aria-checked', String(!size && names[i] === state.settings.preset));
    note.textContent = size ? `Size set to ${size} px in Advanced.` : '';
    note.hidden = !size;
    const estimate = estimateRunMemory(state.settings);
    memory.textContent = describeRunMemory(estimate, words.here);
    memory.hidden = !memory.textContent;
    memory.classList.toggle('hint-problem', estimate.fits === false);
    useLargest.hidden = estimate.fits !== false;
    if (estimate.fits === false) {
      const largest = estimate.largestSize;
      useLargest.textContent = `Use ${largest} px`;
      useLargest.onclick = () => store.update((s) => ({ settings: { ...s.settings, advanced: { ...s.settings.advanced, size: largest } } }) as Partial<S>);
    }
  };
  store.subscribe(draw);
  draw(store.get());
}
