import { chooseEngine } from '../chooseEngine.ts';
import type { RunnerStatus } from '../runner/types.ts';
import type { RunState } from './RunState.ts';
import { resolveRunOptions, type RunSettings } from '../settings/resolveRunOptions.ts';
import { checkWeightsSource, type WeightsCheck } from '../weights/checkWeightsSource.ts';
import { defaultModelUrl } from '../weights/defaultWeights.ts';
import { explainWeightsProblem } from './explainWeightsProblem.ts';
import type { Store } from './createStore.ts';
import { describeRunnerStatus } from './describeRunnerStatus.ts';
import { h } from './h.ts';
import type { HostWords } from './HostWords.ts';
import { inHostWords } from './inHostWords.ts';

type EnginePreference = 'auto' | 'in-page' | 'runner';

/** What the Engine section reads from a plugin's state. */
export interface EngineSectionState {
  settings: RunSettings & { engine: EnginePreference; runnerUrl: string; weightsUrl?: string };
  runnerToken: string;
  /** What the runner said about the token the user pasted, until they change it. */
  pairingProblem?: string;
  runner: RunnerStatus;
  run?: RunState;
}

/**
 * Engine: where the painting runs, the runner's status (polled), a token field when the runner wants
 * pairing, and where the next run would go with the current settings, with the reason. Before it offers
 * to paint in the page without a paired runner, it asks whether the weights source answers (once per URL
 * and session), and says what fails and what works instead rather than offering a run that cannot start.
 */
export function mountEngine<S extends EngineSectionState>(root: HTMLElement, store: Store<S>, actions: { pair(token: string): void; unpair(): void }, words: HostWords): void {
  const choices: Array<{ value: EnginePreference; label: string }> = [
    { value: 'auto', label: 'Auto' },
    { value: 'in-page', label: words.inPageChoice },
    { value: 'runner', label: 'Runner' },
  ];
  const buttons = choices.map(({ value, label }) =>
    h('button', { class: 'segment', role: 'radio', dataset: { engine: value }, onclick: () => store.update((s) => ({ settings: { ...s.settings, engine: value } }) as Partial<S>) },
      h('span', { class: 'segment-label' }, label)));
  const dot = h('span', { class: 'dot' });
  const statusText = h('span', { class: 'status-text' });
  const unpair = h('button', { class: 'link', onclick: () => actions.unpair() }, 'Unpair');
  const token = h('input', { type: 'password', class: 'input', placeholder: 'Pairing token', autocomplete: 'off', spellcheck: false, 'aria-label': 'Runner pairing token' });
  const pair = h('button', { class: 'button button-secondary', onclick: () => actions.pair(token.value.trim()) }, 'Pair');
  token.addEventListener('keydown', (event) => event.key === 'Enter' && actions.pair(token.value.trim()));
  const tokenProblem = h('p', { class: 'field-problem' });
  const pairing = h('div', { class: 'pairing' }, h('div', { class: 'row' }, token, pair), tokenProblem);
  const choice = h('p', { class: 'hint choice' });

  root.replaceChildren(
    h('div', { class: 'section-header' }, h('h2', null, 'Engine')),
    h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Engine' }, ...buttons),
    h('div', { class: 'runner-status' }, dot, statusText, unpair),
    pairing,
    choice,
  );

  let weights: { url: string; check?: WeightsCheck } | undefined;
  /** The in-page engine's weights problem, if it would load them from a source that fails (undefined while asked). */
  const weightsProblem = (state: S) => {
    const runnerServes = Boolean(state.runnerToken) && (state.runner.state === 'ready' || state.runner.state === 'busy');
    if (runnerServes) return undefined;
    const url = state.settings.weightsUrl || defaultModelUrl(state.settings.advanced.model ?? 'vgg16');
    if (weights?.url !== url) {
      const asked: { url: string; check?: WeightsCheck } = { url };
      weights = asked;
      void checkWeightsSource(url).then((check) => {
        asked.check = check;
        if (weights === asked) draw(store.get());
      });
    }
    return weights.check?.ok === false ? weights.check.problem : undefined;
  };

  const draw = (state: S) => {
    for (const [i, button] of buttons.entries()) button.setAttribute('aria-checked', String(choices[i].value === state.settings.engine));
    const status = describeRunnerStatus(state.runner, state.settings.runnerUrl, state.settings.engine === 'runner', ownRunnerJobs(state.run));
    dot.className = `dot dot-${status.tone}`;
    statusText.textContent = status.text;
    root.dataset.runner = state.runner.state;
    const wantsToken = state.runner.state === 'not-paired' || Boolean(state.pairingProblem);
    pairing.hidden = !wantsToken;
    unpair.hidden = !state.runnerToken || wantsToken || state.runner.state === 'not-running' || state.runner.state === 'unknown';
    tokenProblem.textContent = state.pairingProblem ?? '';
    tokenProblem.hidden = !state.pairingProblem;
    const { kind, reason } = chooseEngine({ outputSide: resolveRunOptions(state.settings).size, runner: state.runner, preference: state.settings.engine });
    const refused = state.settings.engine === 'runner' && kind !== 'runner';
    const problem = kind === 'in-page' && !refused ? weightsProblem(state) : undefined;
    choice.classList.toggle('choice-problem', Boolean(problem));
    if (problem) {
      const { message, hint } = explainWeightsProblem(problem, words);
      choice.textContent = inHostWords(`${message} ${hint}`, words);
    } else {
      choice.textContent = refused ? `Start the runner (and pair) before you Stylize, or choose ${words.inPageChoice} to paint without it.` : inHostWords(reason, words);
    }
  };
  store.subscribe(draw);
  draw(store.get());
}

/** 1 while this panel's own run paints on the runner, else 0. */
function ownRunnerJobs(run: RunState | undefined): number {
  return run?.phase === 'painting' && run.onRunner ? 1 : 0;
}
