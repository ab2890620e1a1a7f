import { textureRequest, validateOptions, type StylizeOptions, type TextureSize } from '@pastiche/core';
import { chooseEngine } from '../chooseEngine.ts';
import type { RunnerStatus } from '../runner/types.ts';
import { resolveRunOptions, type RunSettings } from '../settings/resolveRunOptions.ts';
import type { BridgeEngine, BridgeResult, EngineKind } from '../types.ts';
import { encodeRgbaPng } from './encodeRgbaPng.ts';
import type { EngineProvider } from './createEngineProvider.ts';
import type { Store } from './createStore.ts';
import type { RunFailure } from './explainEngineError.ts';
import type { HostWords } from './HostWords.ts';
import { inHostWords } from './inHostWords.ts';
import { isAbortError } from './isAbortError.ts';
import type { RunState } from './RunState.ts';
import { runnerUnavailableError } from './runnerUnavailableError.ts';

const PNG = 'image/png';

/** What a run reads from a plugin's state. */
export interface StylizeState {
  settings: RunSettings & { engine: 'auto' | EngineKind; runnerUrl: string; weightsUrl?: string };
  runnerToken: string;
  runner: RunnerStatus;
  run: RunState;
}

/**
 * What a run paints from, as PNG bytes: the content (none for a texture: the run makes its canvas), each style
 * with its blend weight and its region (a mask over the content), and, to refine a result, the result's
 * pixels to start from.
 */
export interface RunImages {
  content?: Uint8Array;
  init?: Uint8Array;
  styles: Array<{ png: Uint8Array; weight: number; mask?: Uint8Array }>;
}

/** What the host's steps get: the run's options and the side its style images are exported at. */
export interface RunStep<S> {
  /** The state when Stylize was clicked. */
  state: S;
  options: StylizeOptions & { size: number };
  styleSide: number;
  /** Set when the run paints a texture from the styles alone (no content), at this size. */
  texture?: TextureSize;
  signal: AbortSignal;
  setRun(run: RunState): void;
}

/** What the host's last step gets: `startPlacing()` once nothing may cancel the run any more. */
export interface PlaceStep<S> extends RunStep<S> {
  /** Ends the cancellable part (throws if the run was cancelled) and shows "placing" with the last preview, else `fallbackPreview`. */
  startPlacing(fallbackPreview?: Uint8Array): void;
}

/** The painting as it was placed: its name, notes for the user, and any other state to set with "done". */
export interface Placed<S> {
  name: string;
  notes: string[];
  state?: Partial<S>;
}

/** A host's part of a run, in the order they are called (its state type is the store's). */
export interface StylizeHost<S extends StylizeState, Inputs, Images extends RunImages> {
  store: Store<S>;
  engines: EngineProvider;
  /** Probes the runner now (its status decides where a run goes). */
  refreshRunner(): Promise<RunnerStatus>;
  signal: AbortSignal;
  words: HostWords;
  /** Why Stylize cannot start, in the host's words (the run ends there); undefined when it can. */
  findProblem(state: NoInfer<S>): string | undefined;
  /** The size of the texture the run paints when it has no content (undefined: it paints a content). */
  textureSize?(state: NoInfer<S>): TextureSize | undefined;
  /** Before the engine is chosen: what the run works on (the document read again, the roles). */
  readInputs(step: RunStep<NoInfer<S>>): Promise<Inputs> | Inputs;
  /** Once the engine is chosen: export the images it paints from. */
  exportImages(inputs: Inputs, step: RunStep<NoInfer<S>>): Promise<Images>;
  /** Put the painting into the document (calling `startPlacing` first, or once the result is ready to be written). */
  placeResult(result: BridgeResult, images: Images, inputs: Inputs, step: PlaceStep<NoInfer<S>>): Promise<Placed<NoInfer<S>>>;
  /** Any error a run ends with, in the host's words (its own errors first, then the engines'). */
  explainError(error: unknown, context: { size: number; runnerUrl: string; engine?: EngineKind }): RunFailure;
  /** After "done" (e.g. read the document again, to list the new layer); must not throw. */
  afterDone?(): Promise<void>;
  /** After a failure has been shown; must not throw. */
  afterFailure?(error: unknown): Promise<void>;
}

/**
 * One Stylize, the same in every plugin: check, read what the run works on, choose the engine (in the page
 * or on the runner, never elsewhere when the user chose the runner), export the images, paint with live
 * progress and previews, then place the result. The host does its own parts (see StylizeHost). Nothing is
 * placed before the painting exists, so a failed or cancelled run leaves the document as it was. Ends in
 * done, failed or cancelled.
 */
export async function stylizeInHost<S extends StylizeState, Inputs, Images extends RunImages>(host: StylizeHost<S, Inputs, Images>): Promise<void> {
  const { store, engines, signal, words } = host;
  const state = store.get();
  const { settings } = state;
  let options = resolveRunOptions(settings);
  let engineKind: EngineKind | undefined;
  let previewUrl: string | undefined;
  const setRun = (run: RunState) => store.update({ run } as Partial<S>);
  try {
    const problem = host.findProblem(state);
    if (problem) return setRun({ phase: 'failed', message: problem });
    // A texture is the core's texture request, as for the CLI's --texture: its canvas (made below, once the
    // images are exported) and its options (content weight 0, from noise), painted at the texture's own size.
    const texture = host.textureSize?.(state);
    const textured = texture && textureRequest({ ...texture, styles: [], options: { ...options, size: Math.max(texture.width, texture.height) } });
    if (textured) options = { ...textured.options, size: Math.max(texture.width, texture.height) };
    validateOptions(options);
    const step: RunStep<S> = { state, options, styleSide: Math.max(16, Math.min(4096, Math.round(options.size * (options.styleScale ?? 1)))), signal, setRun, ...(texture && { texture }) };
    const inputs = await host.readInputs(step);

    const runner = settings.engine === 'in-page' ? store.get().runner : await host.refreshRunner();
    const choice = chooseEngine({ outputSide: options.size, runner, preference: settings.engine });
    if (settings.engine === 'runner' && choice.kind !== 'runner') throw runnerUnavailableError(runner, choice.reason);
    engineKind = choice.kind;
    const client = engines.runnerClient(settings.runnerUrl, store.get().runnerToken);
    const engine: BridgeEngine =
      choice.kind === 'runner'
        ? engines.runnerEngine(client)
        : engines.inPageEngine({ model: options.model ?? 'vgg16', runner: runner.state === 'ready' || runner.state === 'busy' ? client : undefined, weightsUrl: settings.weightsUrl });

    const images = await host.exportImages(inputs, step);
    const content = textured ? await encodeRgbaPng(textured.content) : images.content;
    if (!content) throw new Error('the plugin exported no content for a run that has one');
    signal.throwIfAborted();

    const engineLabel = () => inHostWords(engine.describe(), words);
    setRun({ phase: 'preparing', step: choice.kind === 'runner' ? 'Sending to the runner…' : 'Loading the model…' });
    engines.onWeightsProgress = ({ loaded, total }) => {
      if (store.get().run.phase === 'preparing') setRun({ phase: 'preparing', step: `Loading the model… ${total ? Math.round((loaded / total) * 100) : 0}%` });
    };
    const result = await engine.stylize(
      {
        content: { bytes: content, mime: PNG },
        styles: images.styles.map((style) => ({ image: { bytes: style.png, mime: PNG }, weight: style.weight, ...(style.mask ? { mask: { bytes: style.mask, mime: PNG } } : {}) })),
        ...(images.init && { initImage: { bytes: images.init, mime: PNG } }),
        options: images.init ? { ...options, init: 'image' } : options,
        preview: { every: 5, maxSide: 256 },
      },
      {
        signal,
        onProgress(progress) {
          if (progress.preview) {
            if (previewUrl) URL.revokeObjectURL(previewUrl);
            previewUrl = URL.createObjectURL(new Blob([progress.preview.bytes as Uint8Array<ArrayBuffer>], { type: progress.preview.mime ?? PNG }));
          }
          setRun({ phase: 'painting', engine: engineLabel(), onRunner: choice.kind === 'runner', progress, previewUrl });
        },
      },
    );

    const startPlacing = (fallbackPreview?: Uint8Array) => {
      signal.throwIfAborted();
      // From here on the run cannot be cancelled: the host is writing the result into the document.
      setRun({ phase: 'placing', engine: engineLabel(), onRunner: choice.kind === 'runner', previewUrl: previewUrl ?? (fallbackPreview ? URL.createObjectURL(new Blob([fallbackPreview as Uint8Array<ArrayBuffer>], { type: PNG })) : undefined) });
    };
    const placed = await host.placeResult(result, images, inputs, { ...step, startPlacing });
    store.update({ ...placed.state, run: { phase: 'done', names: [placed.name], engine: engineLabel(), elapsedMs: result.stats.elapsedMs, notes: placed.notes } } as Partial<S>);
    await host.afterDone?.();
  } catch (error) {
    setRun(isAbortError(error) ? { phase: 'cancelled' } : host.explainError(error, { size: options.size, runnerUrl: settings.runnerUrl, engine: engineKind }));
    await host.afterFailure?.(error);
  } finally {
    engines.onWeightsProgress = undefined;
  }
}
