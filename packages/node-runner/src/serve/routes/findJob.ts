import type { JobView } from '../jobs/JobQueue.ts';
import type { RunnerContext } from '../RunnerContext.ts';
import { HttpError } from '../http/HttpError.ts';

/** The job with this id, or a 404 that says why it may be gone. */
export async function findJob(ctx: RunnerContext, id: string): Promise<JobView> {
  const job = await ctx.queue.get(id);
  if (!job) {
    throw new HttpError(404, `no job ${id}: never submitted, cancelled, or finished more than ${ctx.config.keepResultsMinutes} minutes ago (--keep-results-minutes)`, 'id');
  }
  return job;
}
