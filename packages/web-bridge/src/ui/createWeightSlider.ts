import { h } from './h.ts';

/** A style's blend weight, 0–100; `onWeight` gets each new value while the slider moves. */
export function createWeightSlider(weight: number, label: string, onWeight: (weight: number) => void): HTMLInputElement {
  return h('input', {
    type: 'range', min: 0, max: 100, step: 1, value: String(weight), class: 'weight-slider', 'aria-label': label,
    oninput: (event: Event) => onWeight(Number((event.target as HTMLInputElement).value)),
  });
}
