import type { ErrorReply } from '../wire/errorReplySchema.ts';
import { RunnerBusyError, RunnerError, RunnerNotPairedError, RunnerRequestError, RunnerServerError, RunnerUnreachableError } from './errors.ts';

/** A non-2xx reply as a typed error carrying the runner's own words (`{statusCode, error, field?, limit?}`). */
export async function toRunnerError(response: Response, what: string): Promise<RunnerError> {
  const text = await response.text().catch(() => '');
  let reply: Partial<ErrorReply> = {};
  try {
    reply = JSON.parse(text) as Partial<ErrorReply>;
  } catch {
    // not the runner's JSON (a proxy, another server on the port): keep the status and the text
  }
  const message = `${what}: ${reply.error ?? (text.slice(0, 200) || `HTTP ${response.status}`)}`;
  const status = response.status;
  if (status === 401) return new RunnerNotPairedError(message, status);
  if (status === 429) {
    const seconds = Number(response.headers.get('retry-after'));
    return new RunnerBusyError(message, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined);
  }
  if (status >= 400 && status < 500) return new RunnerRequestError(message, status, reply.field, reply.limit);
  return new RunnerServerError(message, status);
}

/** What fetch threw: the caller's abort stays an AbortError; anything else means nothing answered. */
export function toFetchError(error: unknown, baseUrl: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason ?? error;
  if (error instanceof RunnerError) return error;
  if ((error as Error)?.name === 'TimeoutError') {
    return new RunnerUnreachableError(`the Pastiche runner at ${baseUrl} did not answer in time`, undefined, { cause: error });
  }
  return new RunnerUnreachableError(`no Pastiche runner answers at ${baseUrl}: start it with \`pastiche serve\``, undefined, { cause: error });
}
