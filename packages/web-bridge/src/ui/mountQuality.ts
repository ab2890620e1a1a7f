import type { EvaluationCalibration } from '@pastiche/core';
import type { RunnerStatus } from '../runner/types.ts';
import { QUALITY_PRESETS, type QualityPresetName } from '../settings/qualityPresets.ts';
import type { RunSettings } from '../settings/resolveRunOptions.ts';
import { describeRunMemory, estimateRunMemory } from '../settings/estimateRunMemory.ts';
import { describeRunTime, estimateRunTime, IN_PAGE_LIMITS, type InPageTiming } from '../settings/estimateRunTime.ts';
import type { Store } from './createStore.ts';
import { h } from './h.ts';
import type { HostWords } from './HostWords.ts';

/** The in-page engine's speed (measureInPageSpeed), or where its timing is; undefined if it could not be timed. */
export type InPageSpeed = EvaluationCalibration | InPageTiming;

/** What the Quality section reads: the settings, and for the time estimate the engines' calibrations. */
export interface QualitySectionState {
  settings: RunSettings;
  runner: RunnerStatus;
  inPageSpeed?: InPageSpeed;
}

/**
 * Quality: three buttons, each with the output size it gives, a note when Advanced sets the size, the
 * memory the run takes in the page and the time the whole schedule takes in the page and on the runner
 * (from each engine's calibration); when it cannot fit in the page, the largest size that does, one click away.
 */
export function mountQuality<S extends QualitySectionState>(root: HTMLElement, store: Store<S>, words: HostWords): void {
  const names = Object.keys(QUALITY_PRESETS) as QualityPresetName[];
  const buttons = names.map((name) =>
    h('button', { class: 'segment', role: 'radio', dataset: { preset: name }, onclick: () => store.update((s) => ({ settings: { ...s.settings, preset: name } }) as Partial<S>) },
      h('span', { class: 'segment-label' }, QUALITY_PRESETS[name].label),
      h('span', { class: 'segment-sub' }, `${QUALITY_PRESETS[name].options.size} px`)));
  const note = h('p', { class: 'hint' });
  const memory = h('p', { class: 'hint', dataset: { role: 'memory-estimate' } });
  const time = h('p', { class: 'hint', dataset: { role: 'time-estimate' } });
  const useLargest = h('button', { class: 'button button-secondary', dataset: { action: 'use-largest-size' } });
  root.replaceChildren(h('div', { class: 'section-header' }, h('h2', null, 'Quality')), h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Quality' }, ...buttons), note, memory, time, useLargest);
  // The panels redraw on every progress event: each estimate is planned again only when what it reads changes.
  const timeOf = memoizeLast(estimateRunTime);
  const runnerTimeOf = memoizeLast(estimateRunTime);

  const draw = (state: S) => {
    const size = state.settings.advanced.size;
    // A size set in Advanced overrides the preset's: no preset is what the run makes then.
    for (const [i, button] of buttons.entries()) button.setAttribute('aria-checked', String(!size && names[i] === state.settings.preset));
    note.textContent = size ? `Size set to ${size} px in Advanced.` : '';
    note.hidden = !size;
    const estimate = estimateRunMemory(state.settings);
    memory.textContent = describeRunMemory(estimate, words.here);
    memory.hidden = !memory.textContent;
    memory.classList.toggle('hint-problem', estimate.fits === false);
    const speed = state.inPageSpeed;
    const inPage = estimate.fits === false || !speed ? undefined : typeof speed === 'string' ? speed : timeOf(state.settings, speed, IN_PAGE_LIMITS);
    const runnerSpeed = state.runner.state === 'ready' || state.runner.state === 'busy' ? state.runner.health.calibration : undefined;
    time.textContent = describeRunTime({ inPage, runner: runnerSpeed && runnerTimeOf(state.settings, runnerSpeed, undefined) }, words.here);
    time.hidden = !time.textContent;
    useLargest.hidden = estimate.fits !== false;
    if (estimate.fits === false) {
      const largest = estimate.largestSize;
      useLargest.textContent = `Use ${largest} px`;
      useLargest.onclick = () => store.update((s) => ({ settings: { ...s.settings, advanced: { ...s.settings.advanced, size: largest } } }) as Partial<S>);
    }
  };
  store.subscribe(draw);
  draw(store.get());
}

/** `f`, answering from the last call while every argument is the same (===). */
function memoizeLast<A extends unknown[], R>(f: (...args: A) => R): (...args: A) => R {
  let last: { args: A; result: R } | undefined;
  return (...args) => {
    if (!last || last.args.length !== args.length || last.args.some((a, i) => a !== args[i])) last = { args, result: f(...args) };
    return last.result;
  };
}
