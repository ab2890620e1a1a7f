import type { LayerInfo } from '../document/types.ts';
import { splitIntoPercentages } from '@pastiche/web-bridge/naming';
import { h, isBusy, type Store } from '@pastiche/web-bridge/ui';
import { eyeIcon, eyeOffIcon, folderIcon, refreshIcon } from './icons.ts';
import type { PanelState } from './PanelState.ts';
import { regionSelect } from './regionSelect.ts';
import { isContent, layerKey, makeContent, setStyleWeight, styleOf, toggleStyle } from './roles.ts';

/**
 * The document's layers, groups flattened and indented, each with a Content and a Style toggle (styles get a
 * blend weight and a region: where they paint), and "Whole document" as a content. The list is rebuilt only when the layers or the roles
 * change; moving a slider only updates the percentages, so a drag is never interrupted.
 */
export function mountLayers(root: HTMLElement, store: Store<PanelState>, actions: { refresh(): void }): void {
  const setRoles = (roles: PanelState['roles']) => store.update({ roles });
  const refresh = h('button', { class: 'icon-button', title: 'Read the layers again', 'aria-label': 'Refresh layers', dataset: { action: 'refresh' }, onclick: () => actions.refresh() }, refreshIcon());
  const docLine = h('span', { class: 'section-note' });
  const body = h('div', { class: 'layers-body' });
  root.replaceChildren(h('div', { class: 'section-header' }, h('h2', null, 'Layers'), docLine, refresh), body);
  let drawnKey = '';

  const draw = (state: PanelState) => {
    const { document: docState, roles } = state;
    refresh.disabled = isBusy(state.run) || docState.status === 'reading';
    const key = JSON.stringify([docState, roles.content, roles.styles.map((style) => [layerKey(style), style.region])]);
    if (key === drawnKey) return updatePercentages(body, state);
    drawnKey = key;
    docLine.textContent = docState.status === 'ready' ? `${docState.doc.name} · ${docState.doc.width} × ${docState.doc.height}` : '';
    docLine.title = docLine.textContent;
    if (docState.status !== 'ready') {
      const [title, text] =
        docState.status === 'reading' ? ['Reading the layers…', '']
        : docState.status === 'no-document' ? ['No document open', 'Open an image in Photopea, then refresh.']
        : [docState.message, docState.hint ?? ''];
      body.replaceChildren(h('div', { class: `empty empty-${docState.status}` }, h('strong', null, title), text ? h('span', null, text) : null));
      return;
    }
    const { doc } = docState;
    const percentages = splitIntoPercentages(roles.styles.map((s) => s.weight));
    const whole = roles.content === 'document';
    const rows = doc.layers.map((layer) => layerRow(layer));
    body.replaceChildren(
      h('ul', { class: 'layers', role: 'list' },
        h('li', { class: `layer layer-document${whole ? ' is-content' : ''}`, dataset: { key: 'document' } },
          h('div', { class: 'layer-line' },
            h('span', { class: 'eye' }),
            h('span', { class: 'layer-name' }, h('span', { class: 'layer-label' }, 'Whole document')),
            h('button', { class: `chip chip-content${whole ? ' on' : ''}`, 'aria-pressed': String(whole), dataset: { role: 'content' }, onclick: () => setRoles(makeContent(store.get().roles, 'document')) }, 'Content'),
            h('span', { class: 'chip-spacer' }))),
        ...rows),
      ...(doc.layers.length === 0 ? [h('p', { class: 'hint' }, 'This document has no layers.')] : []),
    );

    function layerRow(layer: LayerInfo): HTMLElement {
      const content = isContent(roles, layer);
      const style = styleOf(roles, layer);
      const index = style ? roles.styles.indexOf(style) : -1;
      const [l, t, r, b] = layer.bounds;
      const empty = r <= l || b <= t;
      const multi = roles.styles.length > 1;
      return h('li', { class: `layer${content ? ' is-content' : ''}${style ? ' is-style' : ''}${layer.shown ? '' : ' is-hidden'}`, dataset: { key: layerKey(layer), name: layer.name }, style: `--depth: ${layer.parents.length}` },
        h('div', { class: 'layer-line' },
          h('span', { class: 'eye', title: layer.visible ? (layer.shown ? 'Visible' : 'Visible in a hidden group') : 'Hidden (exported anyway)' }, layer.visible ? eyeIcon() : eyeOffIcon()),
          h('span', { class: 'layer-name', title: [...layer.parents, layer.name].join(' › ') }, layer.group ? folderIcon() : null, h('span', { class: 'layer-label' }, layer.name)),
          h('span', { class: 'layer-size' }, empty ? 'empty' : `${Math.round(r - l)} × ${Math.round(b - t)}`),
          h('button', { class: `chip chip-content${content ? ' on' : ''}`, disabled: empty, 'aria-pressed': String(content), dataset: { role: 'content' }, onclick: () => setRoles(makeContent(store.get().roles, layer)) }, 'Content'),
          h('button', { class: `chip chip-style${style ? ' on' : ''}`, disabled: empty, 'aria-pressed': String(Boolean(style)), dataset: { role: 'style' }, onclick: () => setRoles(toggleStyle(store.get().roles, layer)) }, 'Style')),
        style && multi
          ? h('div', { class: 'weight' },
              h('input', { type: 'range', min: 0, max: 100, step: 1, value: String(style.weight), class: 'weight-slider', 'aria-label': `Blend weight of ${layer.name}`,
                oninput: (event: Event) => setRoles(setStyleWeight(store.get().roles, layer, Number((event.target as HTMLInputElement).value))) }),
              h('span', { class: 'weight-value', dataset: { weightFor: layerKey(layer) } }, `${percentages[index]}%`))
          : null,
        style ? regionSelect(store, doc, style) : null);
    }
  };
  store.subscribe(draw);
  draw(store.get());
}

function updatePercentages(body: HTMLElement, state: PanelState) {
  const percentages = splitIntoPercentages(state.roles.styles.map((s) => s.weight));
  state.roles.styles.forEach((style, i) => {
    const label = body.querySelector(`[data-weight-for="${CSS.escape(layerKey(style))}"]`);
    if (label) label.textContent = `${percentages[i]}%`;
  });
}
