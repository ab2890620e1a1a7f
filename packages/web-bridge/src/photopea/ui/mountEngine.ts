import { chooseEngine } from '../../chooseEngine.ts';
import type { EnginePreference } from '../settings/PhotopeaSettings.ts';
import { resolveRunOptions } from '../settings/resolveRunOptions.ts';
import type { Store } from './createStore.ts';
import { describeRunnerStatus } from './describeRunnerStatus.ts';
import { h } from './h.ts';
import { inPanelWords } from './inPanelWords.ts';
import type { PanelState } from './PanelState.ts';

const CHOICES: Array<{ value: EnginePreference; label: string }> = [
  { value: 'auto', label: 'Auto' },
  { value: 'in-page', label: 'In panel' },
  { value: 'runner', label: 'Runner' },
];

/** Engine: where the painting runs, the runner's status, a token field when it wants pairing, and where the next run would go and why. */
export function mountEngine(root: HTMLElement, store: Store<PanelState>, actions: { pair(token: string): void; unpair(): void }): void {
  const buttons = CHOICES.map(({ value, label }) =>
    h('button', { class: 'segment', role: 'radio', dataset: { engine: value }, onclick: () => store.update((s) => ({ settings: { ...s.settings, engine: value } })) }, h('span', null, label)));
  const dot = h('span', { class: 'dot' });
  const statusText = h('span', { class: 'status-text' });
  const unpair = h('button', { class: 'link', onclick: () => actions.unpair() }, 'Unpair');
  const token = h('input', { type: 'password', class: 'input', placeholder: 'Pairing token', autocomplete: 'off', spellcheck: false, 'aria-label': 'Runner pairing token' });
  const pair = h('button', { class: 'button', onclick: () => actions.pair(token.value.trim()) }, 'Pair');
  token.addEventListener('keydown', (event) => event.key === 'Enter' && actions.pair(token.value.trim()));
  const tokenProblem = h('p', { class: 'field-problem' });
  const pairing = h('div', { class: 'pairing' }, h('div', { class: 'row' }, token, pair), tokenProblem);
  const choice = h('p', { class: 'hint' });
  root.replaceChildren(
    h('div', { class: 'section-header' }, h('h2', null, 'Engine')),
    h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Engine' }, ...buttons),
    h('div', { class: 'runner-status' }, dot, statusText, unpair),
    pairing,
    choice,
  );
  const draw = (state: PanelState) => {
    buttons.forEach((button, i) => button.setAttribute('aria-checked', String(CHOICES[i].value === state.settings.engine)));
    const status = describeRunnerStatus(state.runner, state.settings.runnerUrl);
    dot.className = `dot dot-${status.tone}`;
    statusText.textContent = status.text;
    root.dataset.runner = state.runner.state;
    const wantsToken = state.runner.state === 'not-paired' || Boolean(state.pairingProblem);
    pairing.hidden = !wantsToken;
    unpair.hidden = !state.runnerToken || wantsToken || state.runner.state === 'not-running' || state.runner.state === 'unknown';
    tokenProblem.textContent = state.pairingProblem ?? '';
    tokenProblem.hidden = !state.pairingProblem;
    const { kind, reason } = chooseEngine({ outputSide: resolveRunOptions(state.settings).size, runner: state.runner, preference: state.settings.engine });
    choice.textContent = state.settings.engine === 'runner' && kind !== 'runner' ? 'Start the runner (and pair) to paint there, or choose Auto.' : inPanelWords(reason);
  };
  store.subscribe(draw);
  draw(store.get());
}
