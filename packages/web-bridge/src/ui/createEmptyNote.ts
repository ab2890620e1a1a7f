import { h } from './h.ts';

/** What the layer list shows when there is nothing to list: what is the matter, and what to do. `modifier` adds `empty-<modifier>`. */
export function createEmptyNote(title: string, text: string, modifier?: string): HTMLDivElement {
  return h('div', { class: modifier ? `empty empty-${modifier}` : 'empty' }, h('strong', null, title), text ? h('span', null, text) : null);
}
