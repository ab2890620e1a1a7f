/**
 * The Photopea plugin page. Photopea shows it in a panel, in a frame, and runs the scripts it posts to
 * `window.parent` (https://www.photopea.com/api/plugins). URL parameters: `runner` (the runner's address),
 * `weights` (a model.json for the in-panel engine), `timeout` (seconds Photopea gets for each script, instead of each one's own limit).
 */
import { createPhotopeaClient } from '../client/createPhotopeaClient.ts';
import { explainRunError } from '../run/explainRunError.ts';
import { runStylize } from '../run/runStylize.ts';
import { defaultSettings } from '../settings/PhotopeaSettings.ts';
import { isHttpUrl } from '@pastiche/web-bridge/settings';
import { createSettingsStore } from '../settings/createSettingsStore.ts';
import { readStoredSettings } from '../settings/readStoredSettings.ts';
import { readResultRecords } from '../results/resultRecords.ts';
import { clearFailureWhenCauseChanges, createEngineProvider, createPanelSections, createStore, findMemoryProblem, isBusy, measureInPageSpeed, mountEngine, mountPresetStrip, mountQuality, mountRunPanel, watchRunner } from '@pastiche/web-bridge/ui';
import workerSource from 'pastiche:photopea-engine-worker';
import presetImages from 'pastiche:style-presets';
import { findRunProblem } from './findRunProblem.ts';
import { mountAdvanced } from './mountAdvanced.ts';
import { mountLayers } from './mountLayers.ts';
import type { PanelState } from './PanelState.ts';
import { PHOTOPEA_WORDS } from './photopeaWords.ts';
import { refreshDocument } from './refreshDocument.ts';
import '@pastiche/web-bridge/panel.css';
import './panel.css';

/** Reading the layers again when the pointer comes back to the panel, at most this often. */
const REFRESH_GAP_MS = 1500;

const params = new URLSearchParams(location.search);
const urlParam = (name: string) => (isHttpUrl(params.get(name)) ? params.get(name)! : undefined);
const timeoutSeconds = Number(params.get('timeout'));
const saved = createSettingsStore();
const defaults = defaultSettings({ runnerUrl: urlParam('runner'), weightsUrl: urlParam('weights') });

const settings = readStoredSettings(saved.load(), defaults);
const store = createStore<PanelState>({
  document: { status: 'reading' },
  roles: { content: null, styles: [] },
  presets: [],
  textureText: '',
  results: readResultRecords(saved.loadResults(), defaults),
  refine: null,
  settings,
  runnerToken: saved.loadToken(settings.runnerUrl),
  runner: { state: 'unknown' },
  fieldProblems: {},
  advancedOpen: false,
  run: { phase: 'idle' },
});
store.subscribe((state, previous) => {
  if (state.settings !== previous.settings) saved.save(state.settings);
  if (state.results !== previous.results) saved.saveResults(state.results);
  if (state.settings.runnerUrl !== previous.settings.runnerUrl) store.update({ runnerToken: saved.loadToken(state.settings.runnerUrl), pairingProblem: undefined });
  else if (state.runnerToken !== previous.runnerToken) saved.saveToken(state.settings.runnerUrl, state.runnerToken);
});

const client = createPhotopeaClient({ target: window.parent, events: window, timeoutMs: timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined });
const engines = createEngineProvider(workerSource, new URL('wasm/', location.href).href);
const runner = watchRunner(
  () => engines.runnerClient(store.get().settings.runnerUrl, store.get().runnerToken),
  (status) => store.update({ runner: status }),
);

let lastRead = 0;
const refresh = async () => {
  if (isBusy(store.get().run)) return;
  lastRead = Date.now();
  if (store.get().document.status !== 'ready') store.update({ document: { status: 'reading' } });
  try {
    await refreshDocument(store, client);
  } catch (error) {
    const { message, hint } = explainRunError(error, { size: 0, runnerUrl: store.get().settings.runnerUrl });
    store.update({ document: { status: 'failed', message, hint } });
  }
};

let controller: AbortController | undefined;
const actions = {
  refresh: () => void refresh(),
  stylize() {
    if (isBusy(store.get().run)) return;
    controller = new AbortController();
    void runStylize({ store, client, engines, refreshRunner: runner.refresh, signal: controller.signal, presetImages });
  },
  cancel: () => controller?.abort(new DOMException('the render was cancelled', 'AbortError')),
  async pair(token: string) {
    const candidate = engines.runnerClient(store.get().settings.runnerUrl, '');
    try {
      await candidate.pair(token);
      store.update({ runnerToken: token, pairingProblem: undefined });
    } catch (error) {
      store.update({ pairingProblem: (error as Error).message.replaceAll('`', '') });
    }
    void runner.refresh();
  },
  unpair() {
    store.update({ runnerToken: '', pairingProblem: undefined });
    void runner.refresh();
  },
};

const section = createPanelSections(document.body);
mountLayers(section.layers, store, actions, presetImages);
// A preset starts at half weight, as a layer made a style does (roles.ts's toggleStyle).
mountPresetStrip(section.presets, store, { images: presetImages, get: (state) => state.presets, set: (presets) => store.update({ presets }), defaultWeight: 50 });
mountQuality(section.quality, store, PHOTOPEA_WORDS);
mountEngine(section.engine, store, actions, PHOTOPEA_WORDS);
mountAdvanced(section.advanced, store);
mountRunPanel(section.run, store, actions, (state) => findRunProblem(state) ?? findMemoryProblem(state, PHOTOPEA_WORDS));
clearFailureWhenCauseChanges(store);
measureInPageSpeed(store, engines, { load: saved.loadSpeed, save: saved.saveSpeed });
store.subscribe((state, previous) => {
  if (state.settings.runnerUrl !== previous.settings.runnerUrl) void runner.refresh();
});

if (window.parent === window) {
  store.update({ document: { status: 'failed', message: 'This page works inside Photopea.', hint: 'Add it in Photopea (Window › Plugins), or open embed.html next to it.' } });
} else {
  void refresh();
  // Photopea tells a plugin nothing when the document changes: read it again when the user comes back.
  const refreshSoon = () => Date.now() - lastRead > REFRESH_GAP_MS && store.get().document.status !== 'reading' && void refresh();
  window.addEventListener('focus', refreshSoon);
  document.addEventListener('pointerenter', refreshSoon);
}
