import { randomUUID } from 'node:crypto';
import type { StylizeOptions, StylizeProgress, StylizeResult } from '@pastiche/core';

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
export const FINISHED_STATES: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

export interface JobError {
  message: string;
  /** input: the request cannot run; out_of_memory: the backend ran out; time_limit: --max-job-seconds; internal: a bug or a backend failure. */
  code: 'input' | 'out_of_memory' | 'time_limit' | 'internal';
  field?: string;
}

/** A progress event as the runner sends it: the engine's, its preview sent apart. */
export type JobProgress = Omit<StylizeProgress, 'preview'>;

export interface JobPreview {
  totalEvaluation: number;
  width: number;
  height: number;
  /** `data:image/png;base64,…` */
  image: string;
}

export interface JobResult {
  png: Uint8Array;
  width: number;
  height: number;
  stats: StylizeResult['stats'];
}

/** What the SSE stream sends; `data` is the JSON payload of the event of that name. */
export type JobEvent =
  | { type: 'queued'; data: { position: number } }
  | { type: 'started'; data: { startedAt: string } }
  | { type: 'progress'; data: JobProgress }
  | { type: 'preview'; data: JobPreview }
  | { type: 'done'; data: { result: { width: number; height: number; bytes: number }; stats: StylizeResult['stats'] } }
  | { type: 'failed'; data: { error: JobError } }
  | { type: 'cancelled'; data: { reason: string } };

/** The images as received (encoded files, decoded when the job starts) and the run's settings. */
export interface JobInputs {
  content: Uint8Array;
  styles: Array<{ bytes: Uint8Array; weight: number }>;
  /** Options as sent, with the seed fixed at submission so the status can report it. */
  options: StylizeOptions & { seed: number };
  /** Longest side of the result and of the decoded style images (size × styleScale). */
  contentSide: number;
  styleSide: number;
  preview: { every: number; maxSide: number };
}

export interface Job {
  readonly id: string;
  state: JobState;
  readonly createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  readonly seed: number;
  /** Dropped once the job finishes, so a kept result holds no input images. */
  inputs?: JobInputs;
  progress?: JobProgress;
  lastPreview?: JobPreview;
  error?: JobError;
  cancelReason?: string;
  result?: JobResult;
  resultFetched: boolean;
  cancelRequested: boolean;
  /** 1-based place in line while queued (the last one sent to listeners). */
  position?: number;
  readonly controller: AbortController;
  readonly listeners: Set<(event: JobEvent) => void>;
  /** Resolves when the job reaches a finished state. */
  readonly settled: Promise<void>;
  markSettled(): void;
}

export function createJob(inputs: JobInputs): Job {
  let markSettled!: () => void;
  const settled = new Promise<void>((resolve) => (markSettled = resolve));
  return {
    id: randomUUID(),
    state: 'queued',
    createdAt: new Date(),
    seed: inputs.options.seed,
    inputs,
    resultFetched: false,
    cancelRequested: false,
    controller: new AbortController(),
    listeners: new Set(),
    settled,
    markSettled,
  };
}

/** Sends an event to every listener; a listener that throws (a dead socket) never disturbs the job. */
export function emitJobEvent(job: Job, event: JobEvent): void {
  for (const listener of [...job.listeners]) {
    try {
      listener(event);
    } catch {
      job.listeners.delete(listener);
    }
  }
}

/** The events that tell a late subscriber where the job stands, in the order it would have seen them. */
export function currentJobEvents(job: Job): JobEvent[] {
  switch (job.state) {
    case 'queued':
      return [{ type: 'queued', data: { position: job.position ?? 1 } }];
    case 'running': {
      const events: JobEvent[] = [{ type: 'started', data: { startedAt: job.startedAt!.toISOString() } }];
      if (job.progress) events.push({ type: 'progress', data: job.progress });
      if (job.lastPreview) events.push({ type: 'preview', data: job.lastPreview });
      return events;
    }
    default:
      return [finishedEvent(job)];
  }
}

export function finishedEvent(job: Job): JobEvent {
  if (job.state === 'succeeded') {
    const { width, height, png, stats } = job.result!;
    return { type: 'done', data: { result: { width, height, bytes: png.byteLength }, stats } };
  }
  if (job.state === 'failed') return { type: 'failed', data: { error: job.error! } };
  return { type: 'cancelled', data: { reason: job.cancelReason ?? 'cancelled' } };
}

export const isFinished = (job: Job) => FINISHED_STATES.includes(job.state);
