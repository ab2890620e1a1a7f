import { splitIntoPercentages } from '@pastiche/web-bridge/naming';
import { createEmptyNote, createTextureNote, createWeightLabel, createWeightSlider, h, mountLayerList, presetRows, presetWeightKey, type PresetImages, type Store } from '@pastiche/web-bridge/ui';
import { addContent, contentToStyle } from '../state/addContent.ts';
import { CHOOSE_CONTENT } from '../run/findRunProblem.ts';
import { excludeLayer } from '../state/excludeLayer.ts';
import { makeContent } from '../state/makeContent.ts';
import { restoreExcluded } from '../state/restoreExcluded.ts';
import { setStyleWeight } from '../state/setStyleWeight.ts';
import type { UiState } from '../state/UiState.ts';
import { closeIcon, plusIcon, swapIcon } from './icons.ts';
import { regionControls, updateRegionControls } from './regionControls.ts';

const KIND_LABELS: Record<string, string> = {
  FRAME: 'Frame', GROUP: 'Group', COMPONENT: 'Component', INSTANCE: 'Instance', RECTANGLE: 'Image', SECTION: 'Section',
  ELLIPSE: 'Ellipse', VECTOR: 'Vector', TEXT: 'Text', POLYGON: 'Polygon', STAR: 'Star', BOOLEAN_OPERATION: 'Boolean',
};

/**
 * The layer list: the content on top, then each style with its blend weight and its region. The list is rebuilt when the
 * layers or roles change; moving a slider only updates the percentages, so dragging is never interrupted (web-bridge's mountLayerList).
 */
export function mountLayers(root: HTMLElement, store: Store<UiState>, presetImages: PresetImages): void {
  const setRoles = (roles: UiState['roles']) => store.update({ roles });

  mountLayerList(root, store, {
    // A region's feather and thumbnail are updated in place (like the weights), so dragging its slider is never interrupted.
    // With no content, the texture note reads Pattern and the run's size (the texture's default size).
    key: (state) => [state.selection, state.ignored, state.roles.contentId, state.roles.moreContents, state.refine, !state.roles.contentId && [state.settings.advanced.seamless, state.settings.preset, state.settings.advanced.size], state.roles.styles.map((s) => s.id), state.presets.map((p) => p.id), state.roles.excluded, state.thumbnails, Object.entries(state.regions).map(([id, region]) => [id, region.nodeIds, region.names]), state.regionProblems],
    update: (state) => updateRegionControls(root, state),
    note: (state) => (state.selection.length ? `${state.selection.length} selected` : ''),
    weights: (state) => [...state.roles.styles.map((style) => ({ key: style.id, weight: style.weight })), ...state.presets.map((p) => ({ key: presetWeightKey(p.id), weight: p.weight }))],
    draw,
  });

  function draw(state: UiState): Array<Node | null> {
    const byId = new Map(state.selection.map((n) => [n.id, n]));
    const content = state.roles.contentId ? byId.get(state.roles.contentId) : undefined;
    // Layers and presets share the blend: percentages over both, sliders once there are two or more.
    const percentages = splitIntoPercentages([...state.roles.styles, ...state.presets].map((s) => s.weight));
    const styleCount = state.roles.styles.length + state.presets.length;

    const row = (id: string, role: 'content' | 'style', controls: Node | null, index = 0, another = false) => {
      const node = byId.get(id)!;
      const thumb = state.thumbnails[id];
      return h('li', { class: `layer layer-${role}`, dataset: { id, role } },
        h('div', { class: 'thumb' }, thumb ? h('img', { src: thumb, alt: '' }) : h('span', { class: 'thumb-empty' })),
        h('div', { class: 'layer-main' },
          h('div', { class: 'layer-title' },
            h('span', { class: 'layer-name', title: node.name }, node.name),
            role === 'content'
              ? h('span', { class: 'badge badge-content' }, 'Content')
              : styleCount > 1 ? createWeightLabel(id, percentages[index]) : null),
          h('div', { class: 'layer-meta' }, `${KIND_LABELS[node.kind] ?? titleCase(node.kind)} · ${Math.round(node.width)} × ${Math.round(node.height)}`),
          controls),
        role === 'style' || another || !state.refine
          ? h('div', { class: 'layer-actions' },
              role === 'content'
                ? h('button', { class: 'icon-button', title: 'Use as a style', 'aria-label': `Use ${node.name} as a style`, dataset: { action: 'content-to-style' }, onclick: () => setRoles(contentToStyle(store.get().roles, id)) }, swapIcon())
                : h('button', { class: 'icon-button', title: 'Use as content', 'aria-label': `Use ${node.name} as content`, dataset: { action: 'make-content' }, onclick: () => setRoles(makeContent(store.get().roles, id)) }, swapIcon()),
              role === 'style' && !state.refine
                ? h('button', { class: 'icon-button', title: 'Paint this one too (another content, its own result)', 'aria-label': `Paint ${node.name} too`, dataset: { action: 'add-content' }, onclick: () => setRoles(addContent(store.get().roles, id)) }, plusIcon())
                : null,
              role === 'style' || another
                ? h('button', { class: 'icon-button', title: 'Leave out of this run', 'aria-label': `Leave ${node.name} out`, dataset: { action: 'exclude' }, onclick: () => setRoles(excludeLayer(store.get().roles, id)) }, closeIcon())
                : null)
          : null);
    };

    const single = styleCount === 1;
    const inRegions = new Set(Object.values(state.regions).flatMap((r) => r.nodeIds));
    const leftOut = state.roles.excluded.filter((id) => !inRegions.has(id));
    const styles = state.roles.styles.map((style, i) =>
      row(style.id, 'style',
        h('div', null,
          single ? null : createWeightSlider(style.weight, 'Blend weight', (weight) => setRoles(setStyleWeight(store.get().roles, style.id, weight))),
          regionControls(store, style.id)), i));

    return [
      state.selection.length === 0
        ? createEmptyNote(
            state.ignored ? 'These layers cannot be painted' : 'Select layers to begin',
            state.ignored ? 'Select frames, images, components or shapes.' : 'The first one you select is the content; the others lend it their style.')
        : h('ul', { class: 'layers' },
            content ? row(content.id, 'content', null) : null,
            ...(state.refine ? [] : (state.roles.moreContents ?? []).filter((id) => byId.has(id)).map((id) => row(id, 'content', null, 0, true))),
            ...styles,
            ...presetRows(state.presets, store, presetImages, percentages.slice(state.roles.styles.length), !single)),
      state.refine
        ? h('p', { class: 'hint refine-note' }, `Refining “${state.refine.name}”: the run starts from its pixels, with its settings. `,
            h('button', { class: 'link', dataset: { action: 'stop-refining' }, onclick: () => store.update({ refine: null }) }, 'Start from the content'))
        : null,
      !content && state.selection.length && !state.roles.moreContents?.length ? createTextureNote(state, CHOOSE_CONTENT, (textureText) => store.update({ textureText })) : null,
      styleCount === 0 && content ? h('p', { class: 'hint' }, 'Also select one or more layers to take the style from, or pick a style preset.') : null,
      leftOut.length
        ? h('p', { class: 'hint' }, `${leftOut.length} selected layer${leftOut.length === 1 ? '' : 's'} left out${leftOut.every((id) => byId.get(id)?.shape) ? ' (shapes mark regions: Use selection as region)' : ''}. `,
            // Says what it does: a left-out layer comes back as a style (a shape too, which would otherwise mark a region).
            h('button', { class: 'link', onclick: () => setRoles(restoreExcluded(store.get().roles)) }, leftOut.length === 1 ? 'Use it as a style' : 'Use them as styles'))
        : null,
    ];
  }
}

const titleCase = (kind: string) => kind.charAt(0) + kind.slice(1).toLowerCase().replaceAll('_', ' ');

