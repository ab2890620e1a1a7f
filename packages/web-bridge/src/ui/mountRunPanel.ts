import { resolveRunOptions, type RunSettings } from '../settings/resolveRunOptions.ts';
import type { Store } from './createStore.ts';
import { formatDuration } from './formatDuration.ts';
import { formatLoss } from './formatLoss.ts';
import { h } from './h.ts';
import { isBusy, type RunState } from './RunState.ts';
import type { BatchPosition } from './stylizeEach.ts';

/** What the run panel reads from a plugin's state. */
export interface RunPanelState {
  settings: RunSettings;
  roles: { styles: readonly unknown[] };
  /** Style presets added to the run: styles too. */
  presets: readonly unknown[];
  run: RunState;
  /** Which content of a batch is painting (stylizeEach). */
  batch?: BatchPosition;
}

/**
 * The footer: what the next run makes and the Stylize button; while painting, the preview, a progress bar,
 * one progress line (the evaluation count and the time left; the scale and the loss in its tooltip) and one
 * engine line that wraps rather than being cut, with Cancel; then the outcome in plain words.
 * `findProblem`: why Stylize cannot start yet, in the plugin's words; undefined when it can.
 */
export function mountRunPanel<S extends RunPanelState>(root: HTMLElement, store: Store<S>, actions: { stylize(): void; cancel(): void }, findProblem: (state: S) => string | undefined): void {
  const preview = h('img', { class: 'preview', alt: 'Preview of the painting in progress' });
  const previewBox = h('div', { class: 'preview-box' }, preview);
  const bar = h('div', { class: 'progress-fill' });
  const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Progress', 'aria-valuemin': '0', 'aria-valuemax': '100' }, bar);
  const lines = [h('p', { class: 'run-line run-line-strong' }), h('p', { class: 'run-line run-line-engine' })];
  const message = h('div', { class: 'message', role: 'status' });
  const summary = h('p', { class: 'run-summary' });
  const cancel = h('button', { class: 'button button-secondary', dataset: { action: 'cancel' }, onclick: () => actions.cancel() }, 'Cancel');
  const stylize = h('button', { class: 'button button-primary', dataset: { action: 'stylize' }, onclick: () => actions.stylize() }, 'Stylize');
  root.replaceChildren(previewBox, progress, h('div', { class: 'run-lines' }, ...lines), message, h('div', { class: 'run-actions' }, summary, cancel, stylize));

  const draw = (state: S) => {
    const { run } = state;
    root.dataset.phase = run.phase;
    const busy = isBusy(run);
    const problem = findProblem(state);
    stylize.hidden = busy;
    stylize.disabled = Boolean(problem);
    cancel.hidden = !busy;
    cancel.disabled = run.phase === 'placing';

    const url = run.phase === 'painting' || run.phase === 'placing' ? run.previewUrl : undefined;
    previewBox.hidden = !url;
    if (url && preview.dataset.url !== url) {
      // Swapped in once decoded: an image still loading has no height, and the Cancel button below it
      // would jump up and back every few evaluations, under the pointer.
      preview.dataset.url = url;
      const next = new Image();
      next.src = url;
      next.decode().then(
        () => preview.dataset.url === url && (preview.src = url),
        () => {},
      );
    }

    progress.hidden = !busy;
    const p = run.phase === 'painting' ? run.progress : undefined;
    const fraction = run.phase === 'placing' ? 1 : p ? p.totalEvaluation / Math.max(1, p.totalEvaluations) : 0;
    bar.style.width = `${Math.round(fraction * 100)}%`;
    progress.classList.toggle('indeterminate', run.phase === 'preparing' || (run.phase === 'painting' && !p));
    progress.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));

    const of = state.batch && busy ? `${state.batch.index + 1} of ${state.batch.count} (${state.batch.name}) · ` : '';
    lines[0].textContent = of + (
      run.phase === 'preparing' ? run.step
      : run.phase === 'painting' ? (p ? `Evaluation ${p.totalEvaluation} of ${p.totalEvaluations} · ${p.etaMs > 0 ? `about ${formatDuration(p.etaMs)} left` : 'finishing'}` : 'Starting…')
      : run.phase === 'placing' ? 'Adding the layer…'
      : '');
    lines[0].title = run.phase === 'painting' && p ? `${p.scales > 1 ? `Scale ${p.scale + 1} of ${p.scales}, ` : ''}${p.width} × ${p.height} px · loss ${formatLoss(p.loss.total)}` : '';
    lines[1].textContent = run.phase === 'painting' || run.phase === 'placing' ? capitalise(run.engine) : '';
    lines[1].title = lines[1].textContent;
    for (const line of lines) line.hidden = !line.textContent;

    message.className = `message message-${run.phase}`;
    const parts: Array<Node | string> =
      run.phase === 'done' ? [h('strong', null, run.names.length === 1 ? `Added “${run.names[0]}”` : `Added ${run.names.length} layers`), h('span', null, `Painted in ${formatDuration(run.elapsedMs)} ${/^(in|on) /.test(run.engine) ? run.engine : `on ${run.engine}`}.`), ...run.notes.map((note) => h('span', { class: 'note' }, note))]
      : run.phase === 'failed' ? [h('strong', null, run.message), ...(run.hint ? [h('span', null, run.hint.replaceAll('`', ''))] : [])]
      : run.phase === 'cancelled' ? [h('strong', null, 'Cancelled.'), h('span', null, run.note ?? 'The document is unchanged.')]
      : [];
    message.replaceChildren(...parts);
    message.hidden = parts.length === 0;

    const styles = state.roles.styles.length + state.presets.length;
    summary.textContent = busy ? '' : problem ?? `${styles} style${styles === 1 ? '' : 's'} · ${resolveRunOptions(state.settings).size} px`;
    summary.classList.toggle('run-summary-problem', !busy && Boolean(problem));
  };
  store.subscribe(draw);
  draw(store.get());
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
