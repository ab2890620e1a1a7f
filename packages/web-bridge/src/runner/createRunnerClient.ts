import type { VggModelName } from '@pastiche/core';
import type { BridgeJob } from '../types.ts';
import { JOB_CONTENT_TYPE } from '../wire/jobEnvelope.ts';
import type { Health, JobAccepted, JobStatus } from '../wire/index.ts';
import { encodeJobBody } from './encodeJobBody.ts';
import { RunnerNotPairedError, RunnerRequestError, RunnerServerError, RunnerUnreachableError } from './errors.ts';
import { parseEventStream, type ServerSentEvent } from './parseEventStream.ts';
import { toFetchError, toRunnerError } from './toRunnerError.ts';
import type { RequestInitLite, RunnerClient, RunnerEvent } from './types.ts';

/** Where `pastiche serve` listens unless told otherwise. */
export const DEFAULT_RUNNER_URL = 'http://localhost:7878';
/** A runner on this machine answers health in milliseconds; one that takes longer is as good as absent. */
const HEALTH_TIMEOUT_MS = 3000;
/**
 * The runner has no route just for checking a token: asking for a job id it never issues (its ids are
 * UUIDs) gives a 404 with a good token and a 401 without one, with no side effect.
 */

export interface RunnerClientConfig {
  baseUrl?: string;
  token?: string;
  fetch?: typeof fetch;
}

export function createRunnerClient(config: RunnerClientConfig = {}): RunnerClient {
  const baseUrl = (config.baseUrl ?? DEFAULT_RUNNER_URL).replace(/\/+$/, '');
  const fetchImpl = config.fetch ?? globalThis.fetch.bind(globalThis);
  let token = config.token?.trim() || undefined;
  let lastHealth: Health | undefined;

  const authHeaders = (withToken = token): Record<string, string> => (withToken ? { Authorization: `Bearer ${withToken}` } : {});

  /** fetch with the token; a non-2xx reply becomes a typed error named after `what`. */
  const request = async (what: string, path: string, init: RequestInit = {}, withToken = token): Promise<Response> => {
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, { ...init, headers: { ...authHeaders(withToken), ...(init.headers as Record<string, string>) } });
    } catch (error) {
      throw toFetchError(error, baseUrl, init.signal ?? undefined);
    }
    if (!response.ok) throw await toRunnerError(response, what);
    return response;
  };
  const json = async <T>(what: string, path: string, init?: RequestInit): Promise<T> => (await request(what, path, init)).json() as Promise<T>;
  const jobPath = (id: string) => `/v1/jobs/${encodeURIComponent(id)}`;

  const checkToken = async (candidate = token, init: RequestInitLite = {}) => {
    if (!candidate) return false;
    try {
      await request('check the token', '/v1/pairing', { signal: init.signal }, candidate.trim());
    } catch (error) {
      if (error instanceof RunnerNotPairedError) return false;
      throw error;
    }
    return true;
  };

  return {
    baseUrl,
    get token() {
      return token;
    },
    get lastHealth() {
      return lastHealth;
    },
    async health(init = {}) {
      const timeout = AbortSignal.timeout(HEALTH_TIMEOUT_MS);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      const response = await request('health', '/v1/health', { signal });
      const health = (await response.json().catch(() => undefined)) as Health | undefined;
      if (health?.name !== 'pastiche') throw new RunnerUnreachableError(`something other than a Pastiche runner answers at ${baseUrl}`);
      lastHealth = health;
      return health;
    },
    checkToken,
    async pair(candidate, init) {
      const trimmed = candidate.trim();
      if (!(await checkToken(trimmed, init))) {
        throw new RunnerNotPairedError(`the runner at ${baseUrl} does not accept this token: copy the one \`pastiche serve\` printed`, 401);
      }
      token = trimmed;
    },
    unpair() {
      token = undefined;
    },
    submit: (job: BridgeJob, init: RequestInitLite = {}) =>
      json<JobAccepted>('submit', '/v1/jobs', { method: 'POST', body: encodeJobBody(job), signal: init.signal, headers: { 'Content-Type': JOB_CONTENT_TYPE } }),
    async *events(id, init = {}) {
      const response = await request('events', `${jobPath(id)}/events`, { signal: init.signal, headers: { Accept: 'text/event-stream' } });
      try {
        for await (const message of parseEventStream(response.body!)) yield toRunnerEvent(message);
      } catch (error) {
        throw toFetchError(error, baseUrl, init.signal); // the connection dropped mid-stream
      }
    },
    status: (id, init = {}) => json<JobStatus>('status', jobPath(id), { signal: init.signal }),
    async result(id, init = {}) {
      const response = await request('result', `${jobPath(id)}/result`, { signal: init.signal });
      return new Uint8Array(await response.arrayBuffer());
    },
    cancel: (id, init = {}) => json<JobStatus>('cancel', jobPath(id), { method: 'DELETE', signal: init.signal }),
    modelJsonUrl: (model: VggModelName) => `${baseUrl}/v1/models/${model}/model.json`,
    authHeaders: () => authHeaders(),
  };
}

function toRunnerEvent(message: ServerSentEvent): RunnerEvent {
  try {
    return { type: message.event, data: JSON.parse(message.data) } as RunnerEvent;
  } catch {
    throw new RunnerServerError(`events: the runner sent a ${message.event} event whose data is not JSON`);
  }
}
