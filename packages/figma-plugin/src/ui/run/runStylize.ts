import { validateOptions } from '@pastiche/core';
import { chooseEngine, type BridgeJob, type Engine, type RunnerStatus } from '@pastiche/web-bridge';
import { resolveRunOptions } from '@pastiche/web-bridge/settings';
import { inHostWords, isAbortError, type EngineProvider, type Store } from '@pastiche/web-bridge/ui';
import { MainRequestError } from '../messaging/MainRequestError.ts';
import { requestFromMain } from '../messaging/requestFromMain.ts';
import type { UiState } from '../state/UiState.ts';
import { FIGMA_WORDS } from '../engine/figmaWords.ts';
import { cutIntoTiles } from './cutIntoTiles.ts';
import { explainRunError } from './explainRunError.ts';
import { findRunProblem } from './findRunProblem.ts';
import { nextRunId } from './nextRunId.ts';
import { renderRegionMask } from '../regions/renderRegionMask.ts';
const PNG = 'image/png';

export interface RunContext {
  store: Store<UiState>;
  engines: EngineProvider;
  /** Probes the runner now (its status decides where a run goes). */
  refreshRunner(): Promise<RunnerStatus>;
  signal: AbortSignal;
}

/**
 * One Stylize: check, export the layers (main code), paint (in the plugin or on the runner) with live
 * progress, then hand the result to the main code to place. Nothing is sent for placing until the result
 * exists, so a failed or cancelled run leaves the document as it was. Ends in done, failed or cancelled.
 */
export async function runStylize({ store, engines, refreshRunner, signal }: RunContext): Promise<void> {
  const state = store.get();
  const { settings } = state;
  const options = resolveRunOptions(settings);
  let engineKind: 'in-page' | 'runner' | undefined;
  let previewUrl: string | undefined;
  const setRun = (run: UiState['run']) => store.update({ run });
  try {
    const problem = findRunProblem(state);
    if (problem) throw new MainRequestError('nothing-selected', problem);
    validateOptions(options);
    // One style takes the whole style term whatever its slider says (the weights are shares).
    const styles = state.roles.styles.length === 1 ? [{ ...state.roles.styles[0], weight: 1 }] : state.roles.styles.filter((s) => s.weight > 0);
    const roles = { contentId: state.roles.contentId!, styles };

    const runner = settings.engine === 'in-page' ? store.get().runner : await refreshRunner();
    const choice = chooseEngine({ outputSide: options.size, runner, preference: settings.engine });
    if (settings.engine === 'runner' && choice.kind !== 'runner') throw runnerUnavailableError(runner, choice.reason);
    engineKind = choice.kind;
    const client = engines.runnerClient(settings.runnerUrl, store.get().runnerToken);
    const engine: Engine =
      choice.kind === 'runner'
        ? engines.runnerEngine(client)
        : engines.inPageEngine({ model: options.model ?? 'vgg16', runner: runner.state === 'ready' || runner.state === 'busy' ? client : undefined, weightsUrl: settings.weightsUrl });

    setRun({ phase: 'preparing', step: 'Exporting layers…' });
    const runId = nextRunId();
    const styleSide = Math.max(16, Math.min(4096, Math.round(options.size * (options.styleScale ?? 1))));
    const regions = styles.filter((s) => state.regions[s.id]).map((s) => ({ styleId: s.id, nodeIds: state.regions[s.id].nodeIds }));
    const images = await requestFromMain('export-requested', { runId, roles, contentSide: options.size, styleSide, regions }, 'images-exported', signal);
    const masks = await Promise.all(images.styles.map((image) => (image.region ? renderRegionMask(image.region, state.regions[image.id].feather) : undefined)));

    const engineLabel = () => inHostWords(engine.describe(), FIGMA_WORDS);
    setRun({ phase: 'preparing', step: choice.kind === 'runner' ? 'Sending to the runner…' : 'Loading the model…' });
    engines.onWeightsProgress = ({ loaded, total }) => {
      if (store.get().run.phase === 'preparing') setRun({ phase: 'preparing', step: `Loading the model… ${total ? Math.round((loaded / total) * 100) : 0}%` });
    };
    const job: BridgeJob = {
      content: { bytes: images.content.png, mime: PNG },
      styles: images.styles.map((image, i) => ({ image: { bytes: image.png, mime: PNG }, weight: roles.styles[i].weight, ...(masks[i] ? { mask: { bytes: masks[i], mime: PNG } } : {}) })),
      options,
      preview: { every: 5, maxSide: 256 },
    };
    const result = await engine.stylize(job, {
      signal,
      onProgress(progress) {
        if (progress.preview) {
          if (previewUrl) URL.revokeObjectURL(previewUrl);
          previewUrl = URL.createObjectURL(new Blob([progress.preview.bytes as Uint8Array<ArrayBuffer>], { type: progress.preview.mime ?? PNG }));
        }
        setRun({ phase: 'painting', engine: engineLabel(), progress, previewUrl });
      },
    });
    const tiles = await cutIntoTiles(result);
    signal.throwIfAborted();
    // From here on the run is no longer cancellable: the main code is writing the result into the document.
    setRun({ phase: 'placing', engine: engineLabel(), previewUrl });
    const placed = await requestFromMain('result-ready', { runId, roles, settings, width: result.width, height: result.height, tiles }, 'result-placed');
    store.update({ run: { phase: 'done', name: placed.name, engine: engineLabel(), elapsedMs: result.stats.elapsedMs, notes: placed.tiles > 1 ? [`${placed.tiles} tiles (above Figma’s 4096 px image limit).`] : [] }, lastResultId: placed.nodeId });
  } catch (error) {
    setRun(isAbortError(error) ? { phase: 'cancelled' } : explainRunError(error, { size: options.size, runnerUrl: settings.runnerUrl, engine: engineKind }));
  } finally {
    engines.onWeightsProgress = undefined;
  }
}

/** The user chose the runner and it cannot take the job: say why rather than paint somewhere else. */
function runnerUnavailableError(runner: RunnerStatus, reason: string): Error {
  const error = new Error(reason);
  if (runner.state === 'not-running' || runner.state === 'unknown') error.name = 'RunnerUnreachableError';
  if (runner.state === 'not-paired') error.name = 'RunnerNotPairedError';
  return error;
}
