import type { JobAccepted, JobStatus } from '@pastiche/web-bridge/wire';
import type { JobView } from '../../queue/JobQueue.ts';

/** A job as `GET /v1/jobs/:id` reports it. */
export function jobStatusView(job: JobView): JobStatus {
  return {
    id: job.id,
    status: job.state,
    queuePosition: job.state === 'queued' ? (job.position ?? null) : null,
    progress: job.progress ?? null,
    error: job.error ?? null,
    cancelReason: job.cancelReason ?? null,
    cancelRequested: job.cancelRequested,
    seed: job.seed,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    result: job.result ? { width: job.result.width, height: job.result.height, bytes: job.result.bytes } : null,
    links: jobLinks(job.id),
    ...(job.worker === undefined ? {} : { worker: job.worker }),
  };
}

export function jobAcceptedView(job: JobView): JobAccepted {
  const { id, status, queuePosition, seed, links } = jobStatusView(job);
  return { id, status, queuePosition, seed, links };
}

export const jobLinks = (id: string) => ({ self: `/v1/jobs/${id}`, events: `/v1/jobs/${id}/events`, result: `/v1/jobs/${id}/result` });
