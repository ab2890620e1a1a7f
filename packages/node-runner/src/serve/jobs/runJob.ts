import type { EngineCheckpoint } from '../../engine/engineMessages.ts';
import type { EnginePool } from '../../engine/startEnginePool.ts';
import type { EngineOutcome } from '../../engine/startEngineProcess.ts';
import { emitJobEvent, type Job } from './job.ts';

/**
 * Runs one job on an engine process and streams its progress and previews to the job's listeners; the engine
 * writes the job's checkpoints to `checkpoint.file` and continues the one there if `checkpoint.resume`. Past
 * --max-job-seconds (counted from when its engine gets it) the job is stopped by killing its engine: a busy
 * engine cannot be asked. Never throws.
 */
export function runJob(job: Job, engines: EnginePool, maxJobSeconds: number, checkpoint: EngineCheckpoint, log: (line: string) => void): Promise<EngineOutcome> {
  if (checkpoint.resume) log(`job ${job.id} continues from its checkpoint`);
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
      onResumeRefused: (reason) => log(`job ${job.id}: its checkpoint cannot be continued (${reason}); painting it from the start`),
    },
    {
      signal: job.controller.signal,
      wallTimeMs: maxJobSeconds * 1000,
      timeLimitMessage: `the job ran longer than ${maxJobSeconds} s (limit --max-job-seconds ${maxJobSeconds})`,
    },
    checkpoint,
  );
}
