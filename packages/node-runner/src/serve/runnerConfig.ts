import { homedir } from 'node:os';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { MAX_STYLES, NODE_BACKEND_NAMES, PasticheInputError, type NodeBackendName, type VggModelName } from '@pastiche/core';
import { parseQueueUrl } from '../pool/redisConnection.ts';
import type { ShutdownMode } from '../queue/JobQueue.ts';
import { describeValueError } from './http/describeValueError.ts';

/** The port `pastiche serve` listens on unless --port says otherwise; the editor plugins look for the runner there first. */
export const DEFAULT_PORT = 7878;

/** Every setting of the runner and its default, in one place. */
export const RUNNER_DEFAULTS = {
  port: DEFAULT_PORT,
  host: '127.0.0.1',
  allowRemote: false,
  allowOrigins: [] as string[],
  concurrency: 1,
  queueCap: 8,
  /**
   * Per-user quotas (user tokens; operators have none). A person rarely has more than a few renders waiting: 10
   * only stops one script from filling a team's line once --queue-cap is raised for a pool.
   */
  userQueueCap: 10,
  /** Print sizes (A4 at 350 dpi ≈ 4093 px) pass; 8192 px jobs, which take gigabytes and hours, are the operator's. */
  userMaxSide: 4096,
  /**
   * A finished job is kept this long after its result is first fetched (or after it failed or was cancelled); in a
   * pool (--queue), this long after it ends.
   */
  keepResultsMinutes: 30,
  /** A result nobody fetched is kept this long (the runner's state directory; not in a pool). */
  retentionHours: 24,
  // Any size the core takes: scales that would not fit the engine's memory are evaluated in tiles
  // (planScales), and a job that cannot be planned at all fails at once with the memory it needs.
  maxSide: 8192,
  maxPixels: 8192 * 8192,
  /** Room for an 8192 px PNG content and a style or two. */
  maxBodyMb: 400,
  /**
   * Bytes of job bodies being received and checked at once, all requests together; one more gets 503 with
   * Retry-After before its body is read. Bodies go to disk as they arrive (--spool-dir), so this bounds the
   * spool's disk and the decoding work at submission rather than memory; 1024 MB lets two bodies of the
   * largest size (--max-body-mb) and several ordinary ones arrive at once, which a team never meets.
   */
  uploadBudgetMb: 1024,
  /** Where uploads are kept while they arrive and while their jobs wait (a folder made inside it, removed on shutdown); default the OS temp dir. */
  spoolDir: undefined as string | undefined,
  /**
   * Where jobs, their inputs, checkpoints and results live, so that a restarted runner (crash, kill -9, reboot)
   * continues them; default $PASTICHE_STATE_DIR, else $XDG_DATA_HOME/pastiche/runner, else
   * ~/.local/share/pastiche/runner. One runner at a time uses it. Not used with --queue (the pool keeps its jobs in Redis).
   */
  stateDir: undefined as string | undefined,
  maxStyles: 8,
  maxEvaluations: 5000,
  maxJobSeconds: 3600,
  /** A request whose connection sends nothing for this long (a stalled body, say) is cut. */
  bodyTimeoutSeconds: 30,
  /** The longest a request may take to arrive whole, headers and body. */
  requestTimeoutSeconds: 300,
  /**
   * How long a cancelled job's engine may take to stop before it is killed (and restarted). An engine stops
   * at its next evaluation, but one that is planning, decoding an 8192 px image or inside an evaluation of
   * minutes cannot hear the cancel: half a second keeps every cancel answered within a second, at the price of
   * a restart (the weights reloaded) when the engine does not stop in time.
   */
  cancelGraceSeconds: 0.5,
  models: ['vgg16'] as VggModelName[],
  weights: undefined as string | undefined,
  backend: 'auto' as NodeBackendName | 'auto',
  /** keep: queued and running jobs stay in the state directory and continue at the next start. */
  onShutdown: 'keep' as ShutdownMode,
  /** Where the pairing token lives; default $PASTICHE_CONFIG_DIR, $XDG_CONFIG_HOME/pastiche or ~/.config/pastiche. */
  configDir: undefined as string | undefined,
  /** The built Photopea panel served at /photopea/; default the `photopea` folder beside the CLI bundle. */
  photopeaPanelDir: undefined as string | undefined,
  /** SSE keep-alive comment interval (proxies and browsers drop silent streams). */
  heartbeatSeconds: 15,
  /** With --on-shutdown finish: how long results finished during the drain stay fetchable. */
  shutdownGraceSeconds: 10,
  /** `--queue redis://…`: jobs go to this Redis for `pastiche worker`s instead of this runner's own engines. */
  queue: undefined as string | undefined,
  /** The pool's shared directory for images and results above inlineMaxMb (default: all in Redis). */
  store: undefined as string | undefined,
  inlineMaxMb: 1,
  /** Pool: attempts of a job whose worker is lost or whose engine fails (a refused input is never retried). */
  attempts: 3,
};

/** Origins always allowed: Figma plugin iframes (sandboxed, so Origin "null") and Photopea. */
export const BUILT_IN_ORIGINS = ['null', 'https://www.photopea.com'];

const int = (minimum: number, maximum: number, description: string) => Type.Integer({ minimum, maximum, description });
const num = (minimum: number, maximum: number, description: string) => Type.Number({ minimum, maximum, description });

/** What `createRunner` accepts; every field optional (defaults above). Field names are the CLI flags in camelCase. */
export const RunnerConfigSchema = Type.Object(
  {
    port: int(0, 65535, 'TCP port (0 = any free port)'),
    host: Type.String({ minLength: 1, maxLength: 255, description: 'address to bind' }),
    allowRemote: Type.Boolean({ description: 'allow a --host other than loopback' }),
    allowOrigins: Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { maxItems: 64, description: 'extra browser origins allowed' }),
    concurrency: int(1, 64, 'jobs run at once'),
    queueCap: int(0, 10_000, 'jobs that may wait'),
    userQueueCap: int(1, 10_000, 'jobs one user may have waiting'),
    userMaxSide: int(16, 8192, 'longest side of a result a user token may ask for, px'),
    keepResultsMinutes: num(0.001, 7 * 24 * 60, 'how long finished jobs are kept once their result is fetched'),
    retentionHours: num(0.0001, 365 * 24, 'how long a result nobody fetched is kept, h'),
    maxSide: int(16, 8192, 'longest side of an input image and of a result, px'),
    maxPixels: int(256, 1_000_000_000, 'pixels of an input image'),
    maxBodyMb: num(0.001, 4096, 'request body, MB'),
    uploadBudgetMb: num(0.001, 1_048_576, 'job bodies being received at once, all together, MB'),
    spoolDir: Type.Optional(Type.String({ minLength: 1, description: 'folder for uploads while they arrive and wait' })),
    stateDir: Type.Optional(Type.String({ minLength: 1, description: 'folder of the jobs, their inputs, checkpoints and results' })),
    maxStyles: int(1, MAX_STYLES, 'style images per job'),
    maxEvaluations: int(1, 800_000, 'evaluation budget of a job, all scales together'),
    maxJobSeconds: num(0.01, 7 * 24 * 3600, 'wall time of a running job, s'),
    bodyTimeoutSeconds: num(0.01, 3600, 'idle time after which a connection that sends nothing is cut, s'),
    requestTimeoutSeconds: num(0.01, 24 * 3600, 'time for a whole request to arrive, s'),
    cancelGraceSeconds: num(0, 3600, 'time a cancelled job may take to stop before its engine is killed, s'),
    models: Type.Array(Type.Union([Type.Literal('vgg16'), Type.Literal('vgg19')]), { minItems: 1, maxItems: 2, uniqueItems: true }),
    weights: Type.Optional(Type.String({ minLength: 1 })),
    backend: Type.Union([Type.Literal('auto'), ...NODE_BACKEND_NAMES.map((b) => Type.Literal(b))]),
    onShutdown: Type.Union([Type.Literal('keep'), Type.Literal('cancel'), Type.Literal('finish')]),
    configDir: Type.Optional(Type.String({ minLength: 1 })),
    photopeaPanelDir: Type.Optional(Type.String({ minLength: 1, description: 'folder of the built Photopea panel, served at /photopea/' })),
    heartbeatSeconds: num(0.01, 3600, 'SSE heartbeat interval, s'),
    shutdownGraceSeconds: num(0, 3600, 'drain grace for results, s'),
    queue: Type.Optional(Type.String({ minLength: 1, description: 'redis:// or rediss:// URL of the pool queue' })),
    store: Type.Optional(Type.String({ minLength: 1, description: 'shared directory for big pool images and results' })),
    inlineMaxMb: num(0, 512, 'pool: images and results up to this size are kept in Redis, MB'),
    attempts: int(1, 100, 'pool: attempts of a job whose worker is lost or whose engine fails'),
  },
  { additionalProperties: false },
);

export type RunnerConfig = Static<typeof RunnerConfigSchema> & { configDir: string; stateDir: string };
export type RunnerConfigInput = Partial<Static<typeof RunnerConfigSchema>>;

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '::1'];
export const isLoopbackHost = (host: string) => LOOPBACK_HOSTS.includes(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * Fills in the defaults and checks every value at the entry, so that a bad setting fails at start with the
 * setting named (`config.queueCap: expected an integer from 0 to 10000, got -1`), never in the middle of a job.
 */
export function resolveRunnerConfig(input: RunnerConfigInput = {}, env: NodeJS.ProcessEnv = process.env): RunnerConfig {
  const merged = { ...RUNNER_DEFAULTS, ...withoutUndefined(input) };
  if (merged.weights === undefined) delete (merged as Partial<typeof merged>).weights;
  if (merged.configDir === undefined) delete (merged as Partial<typeof merged>).configDir;
  if (merged.photopeaPanelDir === undefined) delete (merged as Partial<typeof merged>).photopeaPanelDir;
  if (merged.queue === undefined) delete (merged as Partial<typeof merged>).queue;
  if (merged.store === undefined) delete (merged as Partial<typeof merged>).store;
  if (merged.spoolDir === undefined) delete (merged as Partial<typeof merged>).spoolDir;
  if (merged.stateDir === undefined) delete (merged as Partial<typeof merged>).stateDir;
  const first = Value.Errors(RunnerConfigSchema, merged).First();
  if (first) {
    const { field, problem } = describeValueError(first, 'config');
    throw new PasticheInputError(field, problem);
  }
  if (!isLoopbackHost(merged.host) && !merged.allowRemote) {
    throw new PasticheInputError(
      'config.host',
      `${merged.host} is not a loopback address; binding to it exposes the runner to the network and needs allowRemote (--allow-remote)`,
    );
  }
  if (merged.queue !== undefined) parseQueueUrl(merged.queue);
  const allowOrigins = merged.allowOrigins.map((origin, i) => normaliseOrigin(origin, `config.allowOrigins[${i}]`));
  return { ...merged, allowOrigins, configDir: merged.configDir ?? defaultConfigDir(env), stateDir: path.resolve(merged.stateDir ?? defaultStateDir(env)) };
}

/** `https://Example.com:443/` → `https://example.com`; anything with a path, query or credentials is refused. */
function normaliseOrigin(origin: string, field: string): string {
  if (origin === 'null') return origin;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new PasticheInputError(field, `expected an origin such as https://example.com, got ${JSON.stringify(origin)}`);
  }
  if (!/^https?:$/.test(url.protocol) || url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new PasticheInputError(field, `expected an http(s) origin without a path, such as https://example.com, got ${JSON.stringify(origin)}`);
  }
  return url.origin;
}

/** $PASTICHE_CONFIG_DIR, else $XDG_CONFIG_HOME/pastiche, else ~/.config/pastiche. */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PASTICHE_CONFIG_DIR?.trim()) return path.resolve(env.PASTICHE_CONFIG_DIR.trim());
  if (env.XDG_CONFIG_HOME?.trim()) return path.join(path.resolve(env.XDG_CONFIG_HOME.trim()), 'pastiche');
  return path.join(homedir(), '.config', 'pastiche');
}

/** $PASTICHE_STATE_DIR, else $XDG_DATA_HOME/pastiche/runner, else ~/.local/share/pastiche/runner. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PASTICHE_STATE_DIR?.trim()) return path.resolve(env.PASTICHE_STATE_DIR.trim());
  if (env.XDG_DATA_HOME?.trim()) return path.join(path.resolve(env.XDG_DATA_HOME.trim()), 'pastiche', 'runner');
  return path.join(homedir(), '.local', 'share', 'pastiche', 'runner');
}

function withoutUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
