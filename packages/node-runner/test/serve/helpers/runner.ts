import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StylizeOptions } from '@pastiche/core';
import { createRunner, type Runner, type RunnerDependencies } from '../../../src/serve/createRunner.ts';
import { encodeJobEnvelope, JOB_CONTENT_TYPE, type JobEnvelopeInput } from '@pastiche/web-bridge/wire';
import type { RunnerConfigInput } from '../../../src/serve/runnerConfig.ts';
import { parseEventStream } from './parseEventStream.ts';
import { weightsPath } from '../../helpers/paths.ts';
import { gradientPng, stripesJpeg } from '../../helpers/images.ts';

/** Layers the blocks 1–3 weights have, and sizes and budgets that keep a job well under a second. */
export const SHALLOW: StylizeOptions = { styleLayers: ['block1_conv1', 'block2_conv1'], contentLayers: ['block2_conv2'], size: 32, evaluations: 3, seed: 1 };

export interface TestRunner extends Runner {
  /** fetch on the runner with the token (unless `token: null`) and any extra headers. */
  api(route: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  submit(input?: Partial<JobEnvelopeInput>, init?: RequestInit & { token?: string | null }): Promise<Response>;
}

/** The engine process of failingEngineProcess.ts, for RunnerDependencies.engineEntry. */
export const FAILING_ENGINE = new URL('./failingEngineProcess.ts', import.meta.url);

/** GET /v1/health. */
export async function health(runner: TestRunner): Promise<any> {
  const response = await runner.api('/v1/health', { token: null });
  if (response.status !== 200) throw new Error(`health: HTTP ${response.status}`);
  return response.json();
}

/** Polls health until no job is queued or running and every engine is idle. */
export async function untilIdle(runner: TestRunner) {
  for (let i = 0; i < 400; i++) {
    const { queue, engine } = await health(runner);
    if (queue.queued === 0 && queue.running === 0 && engine.processes.every((p: any) => p.state === 'idle')) return engine;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the runner did not become idle');
}

/** Polls a job until it runs and has reported progress. */
export async function untilRunning(runner: TestRunner, id: string) {
  for (let i = 0; i < 200; i++) {
    const status = await json(await runner.api(`/v1/jobs/${id}`));
    if (status.status === 'running' && status.progress) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not start`);
}

export async function startTestRunner(config: RunnerConfigInput = {}, deps: RunnerDependencies = {}): Promise<TestRunner> {
  const configDir = config.configDir ?? (await mkdtemp(path.join(tmpdir(), 'pastiche-serve-')));
  const stateDir = config.stateDir ?? (await mkdtemp(path.join(tmpdir(), 'pastiche-state-')));
  const runner = await createRunner({ port: 0, backend: 'wasm', weights: weightsPath, configDir, stateDir, ...config }, deps);
  // The folders made here go with the runner's close; those a test passed in are its own.
  const made = [config.configDir ? undefined : configDir, config.stateDir ? undefined : stateDir].filter((dir) => dir !== undefined);
  const close = runner.close.bind(runner);
  runner.close = async (mode) => {
    try {
      await close(mode);
    } finally {
      await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
    }
  };
  const api = (route: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token = runner.token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
    return fetch(`${runner.url}${route}`, { ...rest, headers });
  };
  const submit = async (input: Partial<JobEnvelopeInput> = {}, init: RequestInit & { token?: string | null } = {}) => {
    const body = encodeJobEnvelope({
      content: input.content ?? (await fixtures()).content,
      contentMask: input.contentMask,
      styles: input.styles ?? [{ image: (await fixtures()).style }],
      options: input.options ?? SHALLOW,
      preview: input.preview,
    });
    return api('/v1/jobs', { method: 'POST', body, ...init, headers: { 'content-type': JOB_CONTENT_TYPE, ...(init.headers as Record<string, string>) } });
  };
  return Object.assign(runner, { api, submit });
}

let cached: Promise<{ content: Uint8Array; style: Uint8Array }> | undefined;
/** A smooth gradient (PNG) as content and hard-edged stripes (JPEG) as style. */
export function fixtures() {
  cached ??= (async () => ({ content: await gradientPng(48, 36), style: await stripesJpeg(40, 40) }))();
  return cached;
}

export interface ReceivedEvent {
  event: string;
  data: any;
}

/** Reads a job's event stream to its end (the runner ends it after done/failed/cancelled), parsed as SSE. */
export async function readJobEvents(runner: TestRunner, id: string, options: { onEvent?(e: ReceivedEvent): void; viaQuery?: boolean } = {}) {
  const route = `/v1/jobs/${id}/events${options.viaQuery ? `?token=${runner.token}` : ''}`;
  const response = await runner.api(route, options.viaQuery ? { token: null } : {});
  if (response.status !== 200) throw new Error(`events: HTTP ${response.status} ${await response.text()}`);
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) throw new Error(`events: content-type ${response.headers.get('content-type')}`);
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  for await (const item of parseEventStream(response.body!)) {
    if (item.kind === 'comment') {
      comments.push(item.text);
      continue;
    }
    const received = { event: item.event, data: JSON.parse(item.data) };
    events.push(received);
    options.onEvent?.(received);
  }
  return { events, comments };
}

export async function json(response: Response): Promise<any> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`HTTP ${response.status}: not JSON: ${text.slice(0, 200)}`);
  }
}
