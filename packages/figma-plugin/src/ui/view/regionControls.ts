import { h, type Store } from '@pastiche/web-bridge/ui';
import { clearRegion } from '../regions/clearRegion.ts';
import { setRegionFeather } from '../regions/setRegionFeather.ts';
import { useSelectionAsRegion } from '../regions/useSelectionAsRegion.ts';
import type { UiState } from '../state/UiState.ts';

/** Feather radii the slider offers, in output pixels. */
export const MAX_FEATHER = 64;

/**
 * A style's region, on its row: "Use selection as region" while it has none; else the mask's thumbnail
 * (white paints), the region's layer names, Clear and a Feather slider. A problem is shown under it.
 */
export function regionControls(store: Store<UiState>, styleId: string): HTMLElement {
  const state = store.get();
  const region = state.regions[styleId];
  const problem = state.regionProblems[styleId];
  const use = () => void useSelectionAsRegion(store, styleId);
  return h('div', { class: 'region', dataset: { regionFor: styleId } },
    region
      ? h('div', { class: 'region-set' },
          h('div', { class: 'region-thumb' }, h('img', { src: region.thumbnail, alt: `Region of this style: ${region.names.join(', ')}`, dataset: { role: 'region-thumbnail' } })),
          h('div', { class: 'region-main' },
            h('div', { class: 'region-title' },
              h('span', { class: 'region-label' }, 'Region'),
              h('span', { class: 'region-name', title: region.names.join(', ') }, region.names.join(', ')),
              h('button', { class: 'link', dataset: { action: 'clear-region' }, 'aria-label': 'Clear the region: paint everywhere', onclick: () => clearRegion(store, styleId) }, 'Clear')),
            h('label', { class: 'region-feather' },
              h('span', null, 'Feather'),
              h('input', {
                type: 'range', min: 0, max: MAX_FEATHER, step: 1, value: String(region.feather), class: 'weight-slider', 'aria-label': 'Feather (px)', dataset: { action: 'feather' },
                oninput: (event: Event) => void setRegionFeather(store, styleId, Number((event.target as HTMLInputElement).value)),
              }),
              h('span', { class: 'region-feather-value', dataset: { featherFor: styleId } }, `${region.feather} px`))))
      : h('button', { class: 'link region-use', dataset: { action: 'use-region' }, onclick: use }, 'Use selection as region'),
    problem ? h('p', { class: 'field-problem', dataset: { role: 'region-problem' } }, problem) : null);
}

/** Updates the feather labels and thumbnails in place (the slider being dragged stays as it is). */
export function updateRegionControls(root: HTMLElement, state: UiState): void {
  for (const [styleId, region] of Object.entries(state.regions)) {
    const controls = root.querySelector(`[data-region-for="${CSS.escape(styleId)}"]`);
    const label = controls?.querySelector('[data-feather-for]');
    if (label) label.textContent = `${region.feather} px`;
    const image = controls?.querySelector<HTMLImageElement>('[data-role="region-thumbnail"]');
    if (image && image.src !== region.thumbnail) image.src = region.thumbnail;
  }
}
