import type { DocumentInfo, LayerRef } from '../document/types.ts';
import { h, type Store } from '@pastiche/web-bridge/ui';
import type { PanelState, RegionSource } from './PanelState.ts';
import { layerKey, setStyleRegion } from './roles.ts';

/**
 * Where a style paints, under its row: everywhere, in the selection (as it is when Stylize is clicked), or
 * where another layer shows (its transparency and its layer mask, as Photopea exports it alone).
 */
export function regionSelect(store: Store<PanelState>, doc: DocumentInfo, style: LayerRef & { region?: RegionSource }): HTMLElement {
  const candidates = doc.layers.filter((l) => !l.group && layerKey(l) !== layerKey(style));
  const current = !style.region ? '' : style.region.kind === 'selection' ? 'selection' : `layer:${layerKey(style.region.layer)}`;
  const choose = (value: string) => {
    const layer = candidates.find((l) => `layer:${layerKey(l)}` === value);
    const region: RegionSource | undefined = value === 'selection' ? { kind: 'selection' } : layer ? { kind: 'layer', layer: { path: layer.path, name: layer.name } } : undefined;
    store.update({ roles: setStyleRegion(store.get().roles, style, region) });
  };
  return h('div', { class: 'region' },
    h('label', { class: 'region-label' }, 'Paints'),
    h('select', { class: 'region-select', 'aria-label': `Where ${style.name} paints`, dataset: { role: 'region' }, onchange: (event: Event) => choose((event.target as HTMLSelectElement).value) },
      h('option', { value: '', selected: current === '' }, 'Everywhere'),
      h('option', { value: 'selection', selected: current === 'selection' }, 'In the selection'),
      h('optgroup', { label: 'Where a layer shows (its alpha and mask)' },
        ...candidates.map((l) => h('option', { value: `layer:${layerKey(l)}`, selected: current === `layer:${layerKey(l)}` }, l.name)))));
}
