import { clearFailureWhenCauseChanges, createEngineProvider, createPanelSections, createStore, findMemoryProblem, measureInPageSpeed, mountEngine, mountPresetStrip, mountQuality, mountRunPanel, TFJS_BACKENDS, watchRunner } from '@pastiche/web-bridge/ui';
import workerSource, { wasmPaths } from 'pastiche:engine-worker';
import presetImages from 'pastiche:style-presets';
import { FIGMA_WORDS } from './engine/figmaWords.ts';
import { emitToMain } from './messaging/emitToMain.ts';
import { onMainMessage } from './messaging/listenToMain.ts';
import { dropUnusedRegions } from './regions/dropUnusedRegions.ts';
import { findRunProblem } from './run/findRunProblem.ts';
import { runStylize } from './run/runStylize.ts';
import { DEFAULT_STYLE_WEIGHT, reconcileRoles } from './state/reconcileRoles.ts';
import { INITIAL_STATE, type UiState } from './state/UiState.ts';
import { mountAdvanced } from './view/mountAdvanced.ts';
import { mountLayers } from './view/mountLayers.ts';
import '@pastiche/web-bridge/panel.css';
import './styles.css';

const store = createStore<UiState>(INITIAL_STATE);
// Figma shows the UI as a data: URL page, not a secure context: no WebGPU, so its worker carries no ONNX Runtime.
const engines = createEngineProvider(workerSource, wasmPaths, TFJS_BACKENDS);
const runner = watchRunner(
  () => engines.runnerClient(store.get().settings.runnerUrl, store.get().runnerToken),
  (status) => store.update({ runner: status }),
);
let running: AbortController | undefined;

const actions = {
  async stylize() {
    if (running) return;
    running = new AbortController();
    try {
      await runStylize({ store, engines, refreshRunner: runner.refresh, signal: running.signal, presetImages });
    } finally {
      running = undefined;
      void runner.refresh(); // our own job made it read busy
    }
  },
  cancel() {
    if (store.get().run.phase !== 'placing') running?.abort();
  },
  async pair(token: string) {
    if (!token) return store.update({ pairingProblem: 'Paste the token first.' });
    const client = engines.runnerClient(store.get().settings.runnerUrl, token);
    let accepted = false;
    try {
      accepted = await client.checkToken(token);
    } catch {
      return store.update({ pairingProblem: 'The runner is not reachable: is pastiche serve still running?' });
    }
    if (!accepted) return store.update({ pairingProblem: 'The runner did not accept this token. Copy it again from the pastiche serve window.' });
    store.update({ runnerToken: token, pairingProblem: undefined });
    emitToMain('runner-token-changed', { token });
    await runner.refresh();
  },
  unpair() {
    store.update({ runnerToken: '', pairingProblem: undefined });
    emitToMain('runner-token-changed', { token: '' });
    void runner.refresh();
  },
};

const section = createPanelSections(document.body);
mountLayers(section.layers, store, presetImages);
mountPresetStrip(section.presets, store, { images: presetImages, get: (state) => state.presets, set: (presets) => store.update({ presets }), defaultWeight: DEFAULT_STYLE_WEIGHT });
mountQuality(section.quality, store, FIGMA_WORDS);
mountEngine(section.engine, store, actions, FIGMA_WORDS);
mountAdvanced(section.advanced, store);
mountRunPanel(section.run, store, actions, (state) => (state.started ? (findRunProblem(state) ?? findMemoryProblem(state, FIGMA_WORDS)) : 'Starting…'));
clearFailureWhenCauseChanges(store);

onMainMessage('plugin-started', ({ settings, runnerToken, relaunch, presets, refine, inPageSpeed }) => {
  store.update({ started: true, settings, runnerToken, pendingRoles: relaunch, ...(presets && { presets }), refine: refine ?? null });
  void runner.refresh();
  // The plugin's page keeps nothing between sessions (a data: URL page has no storage): the main code keeps
  // the speed in clientStorage, and the engine is timed once, in the first session.
  if (store.get().inPageSpeed === undefined) measureInPageSpeed(store, engines, { load: () => inPageSpeed, save: (calibration) => emitToMain('in-page-speed-measured', { calibration }) });
});
onMainMessage('selection-changed', ({ nodes, ignored }) => {
  // Placing a result selects it; the panel keeps the layers it was made from, ready for another try.
  const { run, lastResultId, selection } = store.get();
  const alone = nodes.length === 1 && !selection.some((n) => n.id === nodes[0].id);
  if (alone && (nodes[0].id === lastResultId || run.phase === 'placing')) return;
  store.update((state) => {
    const ids = new Set(nodes.map((n) => n.id));
    const thumbnails: Record<string, string> = {};
    for (const [id, url] of Object.entries(state.thumbnails)) {
      if (ids.has(id)) thumbnails[id] = url;
      else URL.revokeObjectURL(url);
    }
    const applied = state.pendingRoles && ids.has(state.pendingRoles.contentId);
    return { selection: nodes, ignored, thumbnails, roles: reconcileRoles(state.roles, nodes, state.pendingRoles), pendingRoles: applied ? null : state.pendingRoles };
  });
});
onMainMessage('thumbnail-exported', ({ id, png }) => {
  store.update((state) => {
    if (state.thumbnails[id]) URL.revokeObjectURL(state.thumbnails[id]);
    return { thumbnails: { ...state.thumbnails, [id]: URL.createObjectURL(new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' })) } };
  });
});

// Settings are saved as they change (debounced: a slider or a typed number changes them many times a second).
let saveTimer: ReturnType<typeof setTimeout> | undefined;
store.subscribe((state, previous) => {
  if (!state.started || state.settings === previous.settings) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => emitToMain('settings-changed', { settings: store.get().settings }), 250);
  if (state.settings.runnerUrl !== previous.settings.runnerUrl) void runner.refresh();
});

// A layer that is no longer a style (left out, made the content, deselected) loses its region.
store.subscribe((state, previous) => {
  if (state.roles === previous.roles) return;
  const dropped = dropUnusedRegions(state);
  if (dropped) store.update(dropped);
});

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape') actions.cancel();
  if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) void actions.stylize();
});

emitToMain('ui-ready', {});
