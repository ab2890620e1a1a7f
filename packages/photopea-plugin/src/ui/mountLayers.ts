import type { LayerInfo } from '../document/types.ts';
import { splitIntoPercentages } from '@pastiche/web-bridge/naming';
import { createEmptyNote, createTextureNote, createWeightLabel, createWeightSlider, h, isBusy, mountLayerList, presetRows, presetWeightKey, type PresetImages, type Store } from '@pastiche/web-bridge/ui';
import { eyeIcon, eyeOffIcon, folderIcon, refreshIcon } from './icons.ts';
import type { PanelState } from './PanelState.ts';
import { regionSelect } from './regionSelect.ts';
import { CHOOSE_CONTENT } from './findRunProblem.ts';
import { findRefineCandidate, startRefining } from './refineResult.ts';
import { isContent, isMoreContent, layerKey, makeContent, setStyleWeight, styleOf, toggleMoreContent, toggleStyle } from './roles.ts';

/**
 * The document's layers, groups flattened and indented, each with a Content and a Style toggle (styles get a
 * blend weight and a region: where they paint), and "Whole document" as a content. The list is rebuilt only when the layers or the roles
 * change; moving a slider only updates the percentages, so a drag is never interrupted (web-bridge's mountLayerList).
 */
export function mountLayers(root: HTMLElement, store: Store<PanelState>, actions: { refresh(): void }, presetImages: PresetImages): void {
  const setRoles = (roles: PanelState['roles']) => store.update({ roles });
  const refresh = h('button', { class: 'icon-button', title: 'Read the layers again', 'aria-label': 'Refresh layers', dataset: { action: 'refresh' }, onclick: () => actions.refresh() }, refreshIcon());
  const enableRefresh = (state: PanelState) => void (refresh.disabled = isBusy(state.run) || state.document.status === 'reading');
  store.subscribe(enableRefresh);
  enableRefresh(store.get());

  mountLayerList(root, store, {
    actions: [refresh],
    // With no content, the texture note reads Pattern and the run's size (the texture's default size).
    key: (state) => {
      const { document: docState, roles, presets, settings } = state;
      return [docState, roles.content, roles.moreContents, roles.styles.map((style) => [layerKey(style), style.region]), presets.map((p) => p.id), roles.content === null && [settings.advanced.seamless, settings.preset, settings.advanced.size], state.refine, findRefineCandidate(state)?.layer];
    },
    note: ({ document: docState }) => (docState.status === 'ready' ? `${docState.doc.name} · ${docState.doc.width} × ${docState.doc.height}` : ''),
    weights: ({ roles, presets }) => [...roles.styles.map((style) => ({ key: layerKey(style), weight: style.weight })), ...presets.map((p) => ({ key: presetWeightKey(p.id), weight: p.weight }))],
    draw,
  });

  function draw(state: PanelState): Array<Node | null> {
    const { document: docState, roles, presets } = state;
    if (docState.status !== 'ready') {
      const [title, text] =
        docState.status === 'reading' ? ['Reading the layers…', '']
        : docState.status === 'no-document' ? ['No document open', 'Open an image in Photopea, then refresh.']
        : [docState.message, docState.hint ?? ''];
      return [createEmptyNote(title, text, docState.status)];
    }
    const { doc } = docState;
    // Layers and presets share the blend: percentages over both, sliders once there are two or more.
    const percentages = splitIntoPercentages([...roles.styles, ...presets].map((s) => s.weight));
    const multi = roles.styles.length + presets.length > 1;
    const whole = roles.content === 'document';
    const rows = doc.layers.map((layer) => layerRow(layer));
    return [
      h('ul', { class: 'layers', role: 'list' },
        h('li', { class: `layer layer-document${whole ? ' is-content' : ''}`, dataset: { key: 'document' } },
          h('div', { class: 'layer-line' },
            h('span', { class: 'eye' }),
            h('span', { class: 'layer-name' }, h('span', { class: 'layer-label' }, 'Whole document')),
            h('button', { class: `chip chip-content${whole ? ' on' : ''}`, 'aria-pressed': String(whole), dataset: { role: 'content' }, onclick: () => setRoles(makeContent(store.get().roles, 'document')) }, 'Content'),
            h('span', { class: 'chip-spacer chip-more' }),
            h('span', { class: 'chip-spacer' }))),
        ...rows),
      presets.length ? h('ul', { class: 'layers presets', role: 'list' }, ...presetRows(presets, store, presetImages, percentages.slice(roles.styles.length), multi)) : null,
      refineNote(state),
      roles.content === null && !roles.moreContents?.length ? createTextureNote(state, CHOOSE_CONTENT, (textureText) => store.update({ textureText })) : null,
      doc.layers.length === 0 ? h('p', { class: 'hint' }, 'This document has no layers.') : null,
    ];

    /** "Refining …" while a run starts from a result, else "Refine" when the active layer is a result this panel made. */
    function refineNote(state: PanelState): HTMLElement | null {
      if (state.refine) {
        return h('p', { class: 'hint refine-note' }, `Refining “${state.refine.name}”: the run starts from its pixels, with its settings. `,
          h('button', { class: 'link', dataset: { action: 'stop-refining' }, onclick: () => store.update({ refine: null }) }, 'Start from the content'));
      }
      const candidate = findRefineCandidate(state);
      return candidate
        ? h('p', { class: 'hint refine-note' }, `“${candidate.layer.name}” is a Pastiche result. `,
            h('button', { class: 'link', dataset: { action: 'refine' }, title: 'Continue painting from this result, with its settings', onclick: () => store.update(startRefining(store.get(), candidate)) }, 'Refine it'))
        : null;
    }

    function layerRow(layer: LayerInfo): HTMLElement {
      const content = isContent(roles, layer);
      const more = isMoreContent(roles, layer);
      const style = styleOf(roles, layer);
      const index = style ? roles.styles.indexOf(style) : -1;
      const [l, t, r, b] = layer.bounds;
      const empty = r <= l || b <= t;
      return h('li', { class: `layer${content || more ? ' is-content' : ''}${style ? ' is-style' : ''}${layer.shown ? '' : ' is-hidden'}`, dataset: { key: layerKey(layer), name: layer.name }, style: `--depth: ${layer.parents.length}` },
        h('div', { class: 'layer-line' },
          h('span', { class: 'eye', title: layer.visible ? (layer.shown ? 'Visible' : 'Visible in a hidden group') : 'Hidden (exported anyway)' }, layer.visible ? eyeIcon() : eyeOffIcon()),
          h('span', { class: 'layer-name', title: [...layer.parents, layer.name].join(' › ') }, layer.group ? folderIcon() : null, h('span', { class: 'layer-label' }, layer.name)),
          h('span', { class: 'layer-size' }, empty ? 'empty' : `${Math.round(r - l)} × ${Math.round(b - t)}`),
          h('button', { class: `chip chip-content${content ? ' on' : ''}`, disabled: empty, 'aria-pressed': String(content), dataset: { role: 'content' }, onclick: () => setRoles(makeContent(store.get().roles, layer)) }, 'Content'),
          h('button', { class: `chip chip-content chip-more${more ? ' on' : ''}`, disabled: empty || content, 'aria-pressed': String(more), title: 'Paint this layer too: another content, with its own result', 'aria-label': `Paint ${layer.name} too`, dataset: { role: 'more-content' } , onclick: () => setRoles(toggleMoreContent(store.get().roles, layer)) }, '+'),
          h('button', { class: `chip chip-style${style ? ' on' : ''}`, disabled: empty, 'aria-pressed': String(Boolean(style)), dataset: { role: 'style' }, onclick: () => setRoles(toggleStyle(store.get().roles, layer)) }, 'Style')),
        style && multi
          ? h('div', { class: 'weight' },
              createWeightSlider(style.weight, `Blend weight of ${layer.name}`, (weight) => setRoles(setStyleWeight(store.get().roles, layer, weight))),
              createWeightLabel(layerKey(layer), percentages[index]))
          : null,
        style ? regionSelect(store, doc, style) : null);
    }
  }
}
