import * as tf from '@tensorflow/tfjs-core';
import {
  calibrateEngine,
  CheckpointError,
  createPastiche,
  DEFAULT_OPTIONS,
  validateOptions,
  type EvaluationCalibration,
  type Pastiche,
  type PasticheConfig,
  type StylizeCheckpoint,
  type VggModelName,
  type WeightsSource,
} from '@pastiche/core';
import type { BackendListing, JobPreview, JobProgress } from '@pastiche/web-bridge/wire';
import { listBackends } from '../backend/listBackends.ts';
import { selectBackend, type BackendInfo } from '../backend/selectBackend.ts';
import { encodeImage } from '../images/encodeImage.ts';
import { readCheckpointFile, writeCheckpointFile } from '../checkpoint/checkpointFile.ts';
import { decodeJobImage } from '../images/decodeJobImage.ts';
import { decodeJobMask } from '../images/decodeJobMask.ts';
import { resolveWeightsSource } from '../weights/index.ts';
import type { JobStopped } from './JobStopped.ts';
import { imageSource, type EngineCheckpoint, type EngineJob, type EngineMemory, type EngineModel, type EngineSettings, type JobImage, type Painted } from './engineMessages.ts';

/**
 * The one place the engine process calls the core: it picks the backend, loads the weights, and paints a
 * job (decode the uploaded files, stylize, encode the PNG). Runs only inside the engine process.
 */
export interface CoreEngine {
  readonly backend: BackendInfo;
  readonly models: EngineModel[];
  /** Every engine of this machine, for the health route. */
  readonly backends: BackendListing[];
  /** One evaluation of the default objective timed at load (the layers the weights have); undefined if it failed. */
  readonly calibration?: EvaluationCalibration;
  memory(): EngineMemory;
  paint(job: EngineJob, callbacks: PaintCallbacks): Promise<Painted>;
}

export interface PaintCallbacks {
  signal: AbortSignal;
  onProgress(progress: JobProgress): void;
  onPreview(preview: JobPreview): void;
  /** Where the run's checkpoints go, and whether the one there is to be continued. */
  checkpoint?: EngineCheckpoint;
  onCheckpoint(written: { totalEvaluations: number }): void;
  onResumeRefused(reason: string): void;
}

export interface CoreEngineDependencies {
  /** The engine factory; tests wrap createPastiche to make jobs fail on purpose. */
  createPastiche?(config: PasticheConfig): Pastiche;
}

export async function createCoreEngine(settings: EngineSettings, deps: CoreEngineDependencies = {}): Promise<CoreEngine> {
  // Listed first: listing starts every engine, and TensorFlow.js keeps the last backend started.
  const backends = await listBackends();
  const { createEngine, ...backend } = await selectBackend(settings.backend);
  const sources = {} as Record<VggModelName, WeightsSource>;
  for (const model of settings.models) sources[model] = await resolveWeightsSource(model, settings.weights);
  const engine = (deps.createPastiche ?? createPastiche)({ weights: sources, createEngine });
  const models: EngineModel[] = [];
  for (const name of settings.models) models.push({ name, layers: [...(await engine.loadModel(name)).availableLayers] });
  const calibration = await calibrateDefaultObjective(engine, models[0]);

  return {
    backend,
    models,
    backends,
    ...(calibration && { calibration }),
    memory: () => {
      const { numTensors, numBytes } = tf.memory();
      return { numTensors, numBytes };
    },
    async paint(job, { signal, onProgress, onPreview, checkpoint, onCheckpoint, onResumeRefused }) {
      const content = await decodeJobImage(imageSource(job.content), 'content', settings, job.contentSide);
      const mask = async (image: JobImage | undefined, field: string) => image && (await decodeJobMask(imageSource(image), field, settings, job.contentSide));
      const styles = await Promise.all(
        job.styles.map(async (s, i) => ({
          image: await decodeJobImage(imageSource(s.bytes), `styles[${i}]`, settings, job.styleSide),
          weight: s.weight,
          mask: await mask(s.mask, `styles[${i}].mask`),
        })),
      );
      const contentMask = await mask(job.contentMask, 'contentMask');
      const initImage = job.initImage && (await decodeJobImage(imageSource(job.initImage), 'initImage', settings, job.contentSide));
      signal.throwIfAborted();
      const request = { content, styles, contentMask, initImage, options: job.options };
      const stylize = (resume: StylizeCheckpoint | undefined) =>
        engine.stylize(
          { ...request, ...(resume && { resume }) },
          {
          signal,
          // Exactly every N evaluations when set: no time rule, no cap on the checkpoints' share of the run.
          ...(settings.checkpointEvery && { checkpointEvery: { evaluations: settings.checkpointEvery, ms: Infinity, maxShare: 1 } }),
          ...(checkpoint && {
            // Written before the run goes on: a crash at any moment leaves the last whole checkpoint in the file. Once
            // stopped, only for a job kept for later (its last step, so that nothing is painted twice): a cancel
            // must end within --cancel-grace-seconds.
            onCheckpoint: async (taken: StylizeCheckpoint) => {
              if (signal.aborted && (signal.reason as JobStopped | undefined)?.why !== 'keep') return;
              await writeCheckpointFile(checkpoint.file, taken);
              onCheckpoint({ totalEvaluations: taken.position.totalEvaluations });
            },
          }),
          previewEvery: job.preview.every,
          previewMaxSide: job.preview.maxSide,
          onProgress: async ({ preview, ...progress }) => {
            onProgress(progress);
            // The optimiser's loop can run on promise continuations alone, which never let the event loop
            // deliver messages: one turn per evaluation lets a cancel in (and the progress out).
            await new Promise((resolve) => setImmediate(resolve));
            if (!preview) return;
            // A preview that cannot be encoded is skipped; the render goes on.
            const png = await encodeImage(preview, 'png').catch(() => undefined);
            if (png) onPreview({ totalEvaluation: progress.totalEvaluation, width: preview.width, height: preview.height, image: `data:image/png;base64,${png.toString('base64')}` });
          },
        },
      );
      let resume: StylizeCheckpoint | undefined;
      if (checkpoint?.resume) {
        try {
          resume = await readCheckpointFile(checkpoint.file);
        } catch (error) {
          if (!(error instanceof CheckpointError)) throw error;
          onResumeRefused(error.message);
        }
      }
      let result;
      try {
        result = await stylize(resume);
      } catch (error) {
        // Not this run's checkpoint (another version, engine or input): painted afresh, and said so.
        if (!(resume && error instanceof CheckpointError)) throw error;
        onResumeRefused(error.message);
        result = await stylize(undefined);
      }
      const png = await encodeImage(result.image, 'png');
      return { png, width: result.image.width, height: result.image.height, stats: result.stats };
    },
  };
}


/** Side of the calibration: small, since every engine process times it at start; per pixel it is within 10 % of 512 px on onnx-cpu (71 ms at 128 px, 1070 ms at 512). */
const CALIBRATION_SIDE = 128;

/**
 * Evaluations of the default objective on the first model (calibrateEngine), through the default layers its weights have
 * (weights of blocks 1–3 price a full-depth run by its share of multiply-adds: estimateScheduleTime). A
 * calibration that fails leaves the runner without an estimate, not without an engine.
 */
async function calibrateDefaultObjective(pastiche: Pastiche, model: EngineModel): Promise<EvaluationCalibration | undefined> {
  const has = (layers: readonly string[]) => layers.filter((l) => model.layers.includes(l));
  const [contentLayers, styleLayers] = [has(DEFAULT_OPTIONS.contentLayers), has(DEFAULT_OPTIONS.styleLayers)];
  if (styleLayers.length === 0) return undefined;
  try {
    const options = validateOptions({ model: model.name, size: CALIBRATION_SIDE, contentLayers, styleLayers, ...(contentLayers.length === 0 && { contentWeight: 0 }) });
    return await calibrateEngine(await pastiche.loadModel(model.name), options, CALIBRATION_SIDE);
  } catch {
    return undefined;
  }
}
