import { presetCredit, STYLE_PRESETS } from '../presets/stylePresets.ts';
import type { Store } from './createStore.ts';
import { h } from './h.ts';

/** A preset added to the run as a style, with its blend weight (0–100, as a style layer's). */
export interface PresetChoice {
  id: string;
  weight: number;
}

/** Preset id → its file as a data: URL (`pastiche:style-presets`, inlined by the plugin's build). */
export type PresetImages = Record<string, string>;

/** How a host keeps the presets it adds: where in its state, and the weight a new one starts with. */
export interface PresetHost<S> {
  images: PresetImages;
  get(state: S): readonly PresetChoice[];
  set(presets: PresetChoice[]): void;
  defaultWeight: number;
}

/**
 * The preset strip: one button per preset (its picture, its credit as the tooltip) that adds it to the run as
 * a style beside the document's own, or takes it out again; the credits of those added are written under it.
 */
export function mountPresetStrip<S>(root: HTMLElement, store: Store<S>, host: PresetHost<S>): void {
  const credits = h('p', { class: 'hint preset-credits' });
  const buttons = STYLE_PRESETS.map((preset) =>
    h('button', {
      class: 'preset',
      title: presetCredit(preset),
      'aria-label': `Add ${preset.title} as a style`,
      dataset: { stylePreset: preset.id },
      onclick: () => {
        const chosen = host.get(store.get());
        host.set(chosen.some((p) => p.id === preset.id) ? chosen.filter((p) => p.id !== preset.id) : [...chosen, { id: preset.id, weight: host.defaultWeight }]);
      },
    }, h('img', { src: host.images[preset.id], alt: '' })),
  );
  root.replaceChildren(h('div', { class: 'section-header' }, h('h2', null, 'Style presets'), h('span', { class: 'section-note' }, 'public-domain paintings')), h('div', { class: 'preset-strip' }, ...buttons), credits);
  const draw = (state: S) => {
    const chosen = new Set(host.get(state).map((p) => p.id));
    buttons.forEach((button, i) => button.setAttribute('aria-pressed', String(chosen.has(STYLE_PRESETS[i].id))));
    credits.textContent = STYLE_PRESETS.filter((p) => chosen.has(p.id)).map(presetCredit).join(' · ');
  };
  store.subscribe(draw);
  draw(store.get());
}
