import { validateOptions } from '@pastiche/core';
import { chooseEngine, type Engine, type RunnerStatus } from '@pastiche/web-bridge';
import type { PhotopeaClient } from '../client/createPhotopeaClient.ts';
import { applyContentAlpha } from '../document/applyContentAlpha.ts';
import { encodeForPlacing } from '../document/encodeForPlacing.ts';
import { exportImage } from '../document/exportImage.ts';
import { exportRegionMask } from '../document/exportRegionMask.ts';
import { placeResult } from '../document/placeResult.ts';
import type { LayerRef } from '../document/types.ts';
import { resolveRunOptions } from '@pastiche/web-bridge/settings';
import { type EngineProvider, inHostWords, isAbortError, type Store } from '@pastiche/web-bridge/ui';
import { findRunProblem } from '../ui/findRunProblem.ts';
import { PHOTOPEA_WORDS } from '../ui/photopeaWords.ts';
import type { PanelState } from '../ui/PanelState.ts';
import { refreshDocument } from '../ui/refreshDocument.ts';
import { explainRunError } from './explainRunError.ts';
import { nameResult } from '@pastiche/web-bridge/naming';
import { RunProblem } from './RunProblem.ts';

const PNG = 'image/png';

export interface RunContext {
  store: Store<PanelState>;
  client: PhotopeaClient;
  engines: EngineProvider;
  /** Probes the runner now (its status decides where a run goes). */
  refreshRunner(): Promise<RunnerStatus>;
  signal: AbortSignal;
}

/**
 * One Stylize: read the layers again, export the content, each style alone and each style's region (a mask
 * over the content), paint (in the panel or on the runner) with live progress, then add the result as a
 * layer above the content. Nothing is left in the document before the painting exists (a region's
 * temporary layer is removed at once), so a failed or cancelled run leaves it as it was.
 */
export async function runStylize({ store, client, engines, refreshRunner, signal }: RunContext): Promise<void> {
  const { settings } = store.get();
  const options = resolveRunOptions(settings);
  let engineKind: 'in-page' | 'runner' | undefined;
  let previewUrl: string | undefined;
  const setRun = (run: PanelState['run']) => store.update({ run });
  try {
    const problem = findRunProblem(store.get());
    if (problem) throw new RunProblem(problem);
    validateOptions(options);

    setRun({ phase: 'preparing', step: 'Reading the layers…' });
    const doc = await refreshDocument(store, client);
    if (!doc) throw new RunProblem('No document is open in Photopea.', 'Open an image in Photopea first.');
    const { roles } = store.get();
    const content = roles.content === 'document' ? null : roles.content;
    if (!roles.content) throw new RunProblem('The content layer is gone from the document.', 'Choose the content again.');
    // One style takes the whole style term whatever its slider says (weights are shares).
    const styles = roles.styles.length === 1 ? [{ ...roles.styles[0], weight: 1 }] : roles.styles.filter((s) => s.weight > 0);
    if (styles.length === 0) throw new RunProblem('The style layers are gone from the document.', 'Choose the styles again.');

    const runner = settings.engine === 'in-page' ? store.get().runner : await refreshRunner();
    const choice = chooseEngine({ outputSide: options.size, runner, preference: settings.engine });
    if (settings.engine === 'runner' && choice.kind !== 'runner') throw runnerUnavailable(runner, choice.reason);
    engineKind = choice.kind;
    const runnerClient = engines.runnerClient(settings.runnerUrl, store.get().runnerToken);
    const engine: Engine | undefined =
      choice.kind === 'runner'
        ? engines.runnerEngine(runnerClient)
        : engines.inPageEngine({ model: options.model ?? 'vgg16', runner: runner.state === 'ready' || runner.state === 'busy' ? runnerClient : undefined, weightsUrl: settings.weightsUrl });

    const label = (ref: LayerRef | null) => (ref ? `“${ref.name}”` : 'The document');
    setRun({ phase: 'preparing', step: `Exporting ${content ? `“${content.name}”` : 'the document'}…` });
    const contentImage = await exportImage(client, doc, content, options.size, label(content));
    const styleSide = Math.max(16, Math.min(4096, Math.round(options.size * (options.styleScale ?? 1))));
    const styleImages = [];
    for (const style of styles) {
      signal.throwIfAborted();
      setRun({ phase: 'preparing', step: `Exporting “${style.name}”…` });
      styleImages.push(await exportImage(client, doc, style, styleSide, label(style)));
    }
    const masks: Array<Uint8Array | undefined> = [];
    for (const style of styles) {
      signal.throwIfAborted();
      if (style.region) setRun({ phase: 'preparing', step: `Exporting the region of “${style.name}”…` });
      masks.push(style.region ? await exportRegionMask(client, doc, style.region, contentImage.region, options.size, label(style)) : undefined);
    }
    signal.throwIfAborted();

    const engineLabel = () => inHostWords(engine.describe(), PHOTOPEA_WORDS);
    setRun({ phase: 'preparing', step: choice.kind === 'runner' ? 'Sending to the runner…' : 'Loading the model…' });
    engines.onWeightsProgress = ({ loaded, total }) => {
      if (store.get().run.phase === 'preparing') setRun({ phase: 'preparing', step: `Loading the model… ${total ? Math.round((loaded / total) * 100) : 0}%` });
    };
    const result = await engine.stylize(
      {
        content: { bytes: contentImage.png, mime: PNG },
        styles: styleImages.map((image, i) => ({ image: { bytes: image.png, mime: PNG }, weight: styles[i].weight, ...(masks[i] ? { mask: { bytes: masks[i], mime: PNG } } : {}) })),
        options,
        preview: { every: 5, maxSide: 256 },
      },
      {
        signal,
        onProgress(progress) {
          if (progress.preview) {
            if (previewUrl) URL.revokeObjectURL(previewUrl);
            previewUrl = URL.createObjectURL(new Blob([progress.preview.bytes as BlobPart], { type: progress.preview.mime ?? PNG }));
          }
          setRun({ phase: 'painting', engine: engineLabel(), progress, previewUrl });
        },
      },
    );
    signal.throwIfAborted();

    // From here on the run cannot be cancelled: Photopea is writing the layer.
    setRun({ phase: 'placing', engine: engineLabel(), previewUrl: previewUrl ?? URL.createObjectURL(new Blob([result.png as BlobPart], { type: PNG })) });
    const painted = await applyContentAlpha(result.png, contentImage.png);
    const image = await encodeForPlacing(painted.png, painted.opaque);
    const name = nameResult(content?.name ?? doc.name, styles.map((s) => ({ name: s.name, weight: s.weight })));
    const placed = await placeResult(client, { document: doc.name, anchor: content, url: image.url, name, bounds: contentImage.region });
    const notes = [image.note, placed.selectionCleared ? 'Your selection was cleared: Photopea moves only the selected pixels of a layer otherwise.' : undefined].filter((n): n is string => Boolean(n));
    setRun({ phase: 'done', name, engine: engineLabel(), elapsedMs: result.stats.elapsedMs, notes });
    await refreshDocument(store, client).catch(() => {}); // the list shows the new layer
  } catch (error) {
    setRun(isAbortError(error) ? { phase: 'cancelled' } : explainRunError(error, { size: options.size, runnerUrl: settings.runnerUrl, engine: engineKind }));
    if ((error as { code?: string }).code === 'layer-moved') await refreshDocument(store, client).catch(() => {});
  } finally {
    engines.onWeightsProgress = undefined;
  }
}

/** The user chose the runner and it cannot take the job: say why rather than paint somewhere else. */
function runnerUnavailable(runner: RunnerStatus, reason: string): Error {
  const error = new Error(reason);
  if (runner.state === 'not-running' || runner.state === 'unknown') error.name = 'RunnerUnreachableError';
  if (runner.state === 'not-paired') error.name = 'RunnerNotPairedError';
  return error;
}
