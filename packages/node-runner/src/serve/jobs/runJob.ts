import type { EnginePool } from '../../engine/startEnginePool.ts';
import type { EngineOutcome } from '../../engine/startEngineProcess.ts';
import { emitJobEvent, type Job } from './job.ts';

/**
 * Runs one job on an engine process and streams its progress and previews to the job's listeners. Past
 * --max-job-seconds (counted from when its engine gets it) the job is stopped by killing its engine: a busy
 * engine cannot be asked. Never throws.
 */
export function runJob(job: Job, engines: EnginePool, maxJobSeconds: number): Promise<EngineOutcome> {
  return engines.run(
    job.id,
    job.inputs!,
    {
      onProgress: (progress) => {
        job.progress = progress;
        emitJobEvent(job, { type: 'progress', data: progress });
      },
      onPreview: (preview) => {
        job.lastPreview = preview;
        emitJobEvent(job, { type: 'preview', data: preview });
      },
    },
    {
      signal: job.controller.signal,
      wallTimeMs: maxJobSeconds * 1000,
      timeLimitMessage: `the job ran longer than ${maxJobSeconds} s (limit --max-job-seconds ${maxJobSeconds})`,
    },
  );
}
