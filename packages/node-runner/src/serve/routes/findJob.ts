import type { JobView } from '../../queue/JobQueue.ts';
import type { RunnerContext } from '../RunnerContext.ts';
import { HttpError } from '../../errors/HttpError.ts';
import type { Caller } from '../../queue/Caller.ts';

/** A job is seen by its owner and by operators. */
export const maySeeJob = (caller: Caller, owner: string) => caller.operator || caller.name === owner;

/**
 * The job with this id if `caller` may see it (its owner, or an operator); otherwise the same 404 as for a job
 * that does not exist, so that another user's job ids reveal nothing. The 404 says why a job may be gone.
 */
export async function findJob(ctx: RunnerContext, id: string, caller: Caller): Promise<JobView> {
  const job = await ctx.queue.get(id);
  if (job && maySeeJob(caller, job.owner)) return job;
  const lostOwner = job ? undefined : ctx.queue.lost(id);
  if (lostOwner !== undefined && maySeeJob(caller, lostOwner)) {
    throw new HttpError(404, `job ${id} was accepted, but the job queue no longer has it: Redis lost its data (restarted without persistence?); submit it again`, 'id');
  }
  const { keepResultsMinutes, retentionHours, queue } = ctx.config;
  const expiry = queue
    ? `finished more than ${keepResultsMinutes} minutes ago (--keep-results-minutes)`
    : `expired: a finished job is kept ${keepResultsMinutes} minutes once its result is fetched (--keep-results-minutes), a result nobody fetches ${retentionHours} h (--retention-hours)`;
  throw new HttpError(404, `no job ${id}: never submitted, cancelled, or ${expiry}`, 'id');
}
