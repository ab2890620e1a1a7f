import type { Pastiche, StylizeProgress } from '@pastiche/core';
import { encodeImage } from '../../images/encodeImage.ts';
import { classifyJobError } from './classifyJobError.ts';
import { JobStopped, type JobOutcome } from './createJobQueue.ts';
import { decodeJobImage, type ImageLimits } from './decodeJobImage.ts';
import { emitJobEvent, type Job, type JobProgress } from './job.ts';
import { releaseAbandonedGradientTape } from '@pastiche/core';

export interface RunJobLimits extends ImageLimits {
  maxJobSeconds: number;
}

/** Awaited after every evaluation: lets the server answer requests between two evaluations. */
export type GiveWay = () => Promise<void>;

/**
 * Runs one job on the shared engine: decodes its images, paints, streams progress and previews, encodes
 * the result as PNG. Never throws: a cancel, the wall-time limit or any failure (an out-of-memory error
 * included) becomes the job's outcome, and the engine releases the job's tensors on every path.
 */
export async function runJob(job: Job, engine: Pastiche, limits: RunJobLimits, giveWay: GiveWay): Promise<JobOutcome> {
  const signal = job.controller.signal;
  const timer = setTimeout(
    () => job.controller.abort(new JobStopped('time_limit', `the job ran longer than ${limits.maxJobSeconds} s (limit --max-job-seconds ${limits.maxJobSeconds})`)),
    limits.maxJobSeconds * 1000,
  );
  try {
    const inputs = job.inputs!;
    const content = await decodeJobImage(inputs.content, 'content', limits, inputs.contentSide);
    const styles = await Promise.all(
      inputs.styles.map(async (s, i) => ({ image: await decodeJobImage(s.bytes, `styles[${i}]`, limits, inputs.styleSide), weight: s.weight })),
    );
    signal.throwIfAborted();
    const result = await engine.stylize(
      { content, styles, options: inputs.options },
      {
        signal,
        previewEvery: inputs.preview.every,
        previewMaxSide: inputs.preview.maxSide,
        onProgress: (progress) => reportProgress(job, progress, giveWay),
      },
    );
    const png = await encodeImage(result.image, 'png');
    return { state: 'succeeded', result: { png, width: result.image.width, height: result.image.height, stats: result.stats } };
  } catch (error) {
    releaseAbandonedGradientTape(); // an error inside a gradient computation leaves its saved tensors behind
    const reason = signal.aborted ? signal.reason : undefined;
    if (reason instanceof JobStopped) {
      return reason.why === 'cancel'
        ? { state: 'cancelled', reason: reason.message }
        : { state: 'failed', error: { code: 'time_limit', message: reason.message } };
    }
    return { state: 'failed', error: classifyJobError(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function reportProgress(job: Job, { preview, ...progress }: StylizeProgress, giveWay: GiveWay): Promise<void> {
  const data: JobProgress = progress;
  job.progress = data;
  emitJobEvent(job, { type: 'progress', data });
  // The optimiser's loop can run on promise continuations alone, which never let the event loop serve
  // sockets: give way once per evaluation so that requests, cancels and stream writes get through.
  await giveWay();
  if (!preview) return;
  try {
    const png = await encodeImage(preview, 'png');
    job.lastPreview = {
      totalEvaluation: progress.totalEvaluation,
      width: preview.width,
      height: preview.height,
      image: `data:image/png;base64,${Buffer.from(png).toString('base64')}`,
    };
    emitJobEvent(job, { type: 'preview', data: job.lastPreview });
  } catch {
    // a preview that cannot be encoded is skipped; the render goes on
  }
}
