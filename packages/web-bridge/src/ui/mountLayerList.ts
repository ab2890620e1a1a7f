import type { Store } from './createStore.ts';
import { h } from './h.ts';
import { showWeightPercentages } from './showWeightPercentages.ts';

/** A host's layer list: what it depends on, how it is drawn, and its styles' weights. */
export interface LayerListView<S> {
  /** What the list shows: it is drawn again only when this changes (compared as JSON). */
  key(state: S): unknown;
  /** The note beside the section's title (the document, how many layers are selected); '' for none. */
  note(state: S): string;
  /** The list, drawn from the state. */
  draw(state: S): Array<Node | null>;
  /** The styles' blend weights (0–100), each with the key its percentage label carries (createWeightLabel). */
  weights(state: S): ReadonlyArray<{ key: string; weight: number }>;
  /** Updates in place what else changes without a redraw (a region's feather, say). */
  update?(state: S): void;
  /** Buttons at the end of the header (Photopea's Refresh). */
  actions?: HTMLElement[];
}

/**
 * The Layers section: a header (title, note, the host's buttons) and the host's list under it. The list is
 * drawn again only when what it shows changes; moving a slider only updates the percentages, so a drag
 * is never interrupted.
 */
export function mountLayerList<S>(root: HTMLElement, store: Store<S>, view: LayerListView<S>): void {
  const note = h('span', { class: 'section-note' });
  const body = h('div', { class: 'layers-body' });
  root.replaceChildren(h('div', { class: 'section-header' }, h('h2', null, 'Layers'), note, ...(view.actions ?? [])), body);
  let drawnKey = '';

  const draw = (state: S) => {
    const key = JSON.stringify(view.key(state));
    if (key === drawnKey) {
      view.update?.(state);
      return showWeightPercentages(body, view.weights(state));
    }
    drawnKey = key;
    note.textContent = view.note(state);
    note.title = note.textContent;
    body.replaceChildren(...view.draw(state).filter((child): child is Node => child !== null));
  };
  store.subscribe(draw);
  draw(store.get());
}
