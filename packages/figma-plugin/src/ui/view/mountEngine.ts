import { chooseEngine } from '@pastiche/web-bridge';
import { resolveRunOptions } from '../../settings/resolveRunOptions.ts';
import type { PluginSettings } from '../../settings/pluginSettingsSchema.ts';
import type { Store } from '../state/createStore.ts';
import type { UiState } from '../state/UiState.ts';
import { inPluginWords } from '../engine/inPluginWords.ts';
import { describeRunnerStatus } from './describeRunnerStatus.ts';
import { h } from './h.ts';

const CHOICES: Array<{ value: PluginSettings['engine']; label: string }> = [
  { value: 'auto', label: 'Auto' },
  { value: 'in-page', label: 'In plugin' },
  { value: 'runner', label: 'Runner' },
];

/**
 * Engine: where the painting runs, the runner's status (polled), a token field when the runner wants
 * pairing, and where the next run would go with the current settings, with the reason.
 */
export function mountEngine(root: HTMLElement, store: Store<UiState>, actions: { pair(token: string): void; forgetToken(): void }): void {
  const buttons = CHOICES.map(({ value, label }) =>
    h('button', { class: 'segment', role: 'radio', dataset: { engine: value }, onclick: () => store.update((s) => ({ settings: { ...s.settings, engine: value } })) },
      h('span', { class: 'segment-label' }, label)));
  const dot = h('span', { class: 'dot' });
  const statusText = h('span', { class: 'status-text' });
  const forget = h('button', { class: 'link', onclick: () => actions.forgetToken() }, 'Unpair');
  const token = h('input', { type: 'password', class: 'input', placeholder: 'Pairing token', autocomplete: 'off', spellcheck: false, 'aria-label': 'Runner pairing token' });
  const pairButton = h('button', { class: 'button-secondary', onclick: () => actions.pair(token.value.trim()) }, 'Pair');
  token.addEventListener('keydown', (event) => event.key === 'Enter' && actions.pair(token.value.trim()));
  const tokenProblem = h('p', { class: 'field-problem' });
  const pairing = h('div', { class: 'pairing' }, h('div', { class: 'row' }, token, pairButton), tokenProblem);
  const choice = h('p', { class: 'hint choice' });

  root.replaceChildren(
    h('div', { class: 'section-header' }, h('h2', null, 'Engine')),
    h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Engine' }, ...buttons),
    h('div', { class: 'runner-status' }, dot, statusText, forget),
    pairing,
    choice,
  );

  const draw = (state: UiState) => {
    for (const [i, button] of buttons.entries()) button.setAttribute('aria-checked', String(CHOICES[i].value === state.settings.engine));
    const status = describeRunnerStatus(state.runner, state.settings.runnerUrl);
    dot.className = `dot dot-${status.tone}`;
    statusText.textContent = status.text;
    root.dataset.runner = state.runner.state;
    const wantsToken = state.runner.state === 'not-paired' || Boolean(state.pairingProblem);
    pairing.hidden = !wantsToken;
    forget.hidden = !state.runnerToken || state.runner.state === 'not-running' || state.runner.state === 'unknown' || wantsToken;
    tokenProblem.textContent = state.pairingProblem ?? '';
    tokenProblem.hidden = !state.pairingProblem;
    const size = resolveRunOptions(state.settings).size;
    const { kind, reason } = chooseEngine({ outputSide: size, runner: state.runner, preference: state.settings.engine });
    const refused = state.settings.engine === 'runner' && kind !== 'runner';
    choice.textContent = refused ? 'Start the runner (and pair) before you Stylize, or choose Auto to paint without it.' : inPluginWords(reason.replaceAll('`', ''));
  };
  store.subscribe(draw);
  draw(store.get());
}
