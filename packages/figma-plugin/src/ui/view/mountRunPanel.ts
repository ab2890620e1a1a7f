import { resolveRunOptions } from '../../settings/resolveRunOptions.ts';
import { findRunProblem } from '../run/findRunProblem.ts';
import type { Store } from '../state/createStore.ts';
import type { UiState } from '../state/UiState.ts';
import { formatDuration } from './formatDuration.ts';
import { formatLoss } from './formatLoss.ts';
import { h } from './h.ts';

/**
 * The footer: what the next run will make and the Stylize button; while painting, the preview, a progress
 * bar, the evaluation count, the loss and the time left, with Cancel; then the outcome in plain words.
 */
export function mountRunPanel(root: HTMLElement, store: Store<UiState>, actions: { stylize(): void; cancel(): void }): void {
  const preview = h('img', { class: 'preview', alt: 'Preview of the painting in progress' });
  const previewBox = h('div', { class: 'preview-box' }, preview);
  const bar = h('div', { class: 'progress-fill' });
  const progress = h('div', { class: 'progress', role: 'progressbar', 'aria-label': 'Progress' }, bar);
  const line1 = h('p', { class: 'run-line run-line-strong' });
  const line2 = h('p', { class: 'run-line' });
  const line3 = h('p', { class: 'run-line' });
  const message = h('div', { class: 'message' });
  const stylize = h('button', { class: 'button-primary', dataset: { action: 'stylize' }, onclick: () => actions.stylize() }, 'Stylize');
  const cancel = h('button', { class: 'button-secondary', dataset: { action: 'cancel' }, onclick: () => actions.cancel() }, 'Cancel');
  const summary = h('p', { class: 'run-summary' });
  root.replaceChildren(previewBox, progress, h('div', { class: 'run-lines' }, line1, line2, line3), message, h('div', { class: 'run-actions' }, summary, cancel, stylize));

  const draw = (state: UiState) => {
    const { run } = state;
    root.dataset.phase = run.phase;
    const busy = run.phase === 'preparing' || run.phase === 'painting' || run.phase === 'placing';
    const problem = findRunProblem(state);
    stylize.hidden = busy;
    stylize.disabled = !state.started || Boolean(problem);
    cancel.hidden = !busy;
    cancel.disabled = run.phase === 'placing';

    const url = run.phase === 'painting' || run.phase === 'placing' ? run.previewUrl : undefined;
    previewBox.hidden = !url;
    if (url && preview.src !== url) preview.src = url;

    progress.hidden = !busy;
    const p = run.phase === 'painting' ? run.progress : undefined;
    const fraction = run.phase === 'placing' ? 1 : p ? p.totalEvaluation / Math.max(1, p.totalEvaluations) : 0;
    bar.style.width = `${Math.round(fraction * 100)}%`;
    progress.classList.toggle('indeterminate', run.phase === 'preparing' || (run.phase === 'painting' && !p));
    progress.setAttribute('aria-valuenow', String(Math.round(fraction * 100)));

    line1.textContent =
      run.phase === 'preparing' ? run.step
      : run.phase === 'painting' ? (p ? `Evaluation ${p.totalEvaluation} of ${p.totalEvaluations}${p.scales > 1 ? ` · scale ${p.scale + 1} of ${p.scales} (${p.width} × ${p.height})` : ''}` : 'Starting…')
      : run.phase === 'placing' ? 'Adding the layer…'
      : '';
    line2.textContent = run.phase === 'painting' && p ? `Loss ${formatLoss(p.loss.total)} · ${p.etaMs > 0 ? `about ${formatDuration(p.etaMs)} left` : 'finishing'}` : '';
    line3.textContent = run.phase === 'painting' || run.phase === 'placing' ? capitalise(run.engine) : '';
    for (const line of [line1, line2, line3]) line.hidden = !line.textContent;

    message.className = `message message-${run.phase}`;
    message.replaceChildren(
      ...[...(run.phase === 'done'
        ? [h('strong', null, `Added “${run.name}”`), h('span', null, `Painted in ${formatDuration(run.elapsedMs)} ${/^(in|on) /.test(run.engine) ? run.engine : `on ${run.engine}`}${run.tiles > 1 ? ` · ${run.tiles} tiles (above Figma’s 4096 px image limit)` : ''}.`)]
        : run.phase === 'failed'
          ? [h('strong', null, run.message), run.hint ? h('span', null, run.hint.replaceAll('`', '')) : null]
          : run.phase === 'cancelled'
            ? [h('strong', null, 'Cancelled.'), h('span', null, 'The document is unchanged.')]
            : [])].filter((child) => child !== null),
    );
    message.hidden = !message.childElementCount;

    const size = resolveRunOptions(state.settings).size;
    summary.textContent = busy ? '' : problem ?? `${state.roles.styles.length} style${state.roles.styles.length === 1 ? '' : 's'} · ${size} px`;
    summary.classList.toggle('run-summary-problem', !busy && Boolean(problem));
  };
  store.subscribe(draw);
  draw(store.get());
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
