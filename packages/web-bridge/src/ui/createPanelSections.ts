import { h } from './h.ts';

const section = (id: string, label: string) => h('section', { id, class: 'section', 'aria-label': label });

/**
 * Both plugins' panel frame, put at the start of `body`: the sections in a scrolling `main`, top to bottom,
 * then the run footer, which stays in view. Returns each one's element for the view that fills it.
 */
export function createPanelSections(body: HTMLElement) {
  const sections = {
    layers: section('layers', 'Layers'),
    presets: section('presets', 'Style presets'),
    quality: section('quality', 'Quality'),
    engine: section('engine', 'Engine'),
    advanced: section('advanced', 'Advanced'),
  };
  const run = h('footer', { id: 'run', class: 'run', 'aria-live': 'polite' });
  body.prepend(h('main', { class: 'panel' }, ...Object.values(sections)), run);
  return { ...sections, run };
}
