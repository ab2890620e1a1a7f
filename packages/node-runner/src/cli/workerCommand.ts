import { DEFAULT_CHECKPOINT_EVERY, PasticheInputError, type VggModelName } from '@pastiche/core';
import { describeBackendChoice } from '../backend/selectBackend.ts';
import { BACKEND_FLAG_CHOICES, parseBackendFlag } from './backendFlag.ts';
import { CliError } from './CliError.ts';
import { RUNNER_DEFAULTS as D } from '../serve/runnerConfig.ts';
import { resolveWeightsSource } from '../weights/index.ts';
import { parseQueueUrl } from '../pool/redisConnection.ts';
import { startPoolWorker, type PoolWorkerConfig } from '../pool/startPoolWorker.ts';
import { parseCommandFlags } from './parseCommandFlags.ts';
import { untilStopped } from './untilStopped.ts';

const DEFAULTS = { concurrency: 1, lockSeconds: 20, stalledCheckSeconds: 5, maxStalls: 2 };

export const WORKER_HELP = `Usage: pastiche worker --queue redis://HOST:PORT[/DB] [options]

Paints the jobs of a team pool: takes them from the queue a \`pastiche serve --queue\` fills, on this machine's best
engine, and sends back progress, previews and results through Redis. Opens no port. Ctrl-C finishes the running
jobs, a second Ctrl-C hands them back to the queue for another worker.

  --queue URL               redis://[user:password@]host:port[/db], rediss:// for TLS (required)
  --name NAME               this worker's name in health and on its jobs (default HOSTNAME-PID)
  --concurrency N           jobs painted at once, each in its own engine process (default ${DEFAULTS.concurrency}: one per GPU)
  --weights PATH|URL        VGG weights, as for pastiche serve (default $PASTICHE_WEIGHTS, else the Keras ImageNet weights)
  --model NAME              vgg16 or vgg19; repeat for both (default ${D.models.join(',')})
  --backend NAME            ${BACKEND_FLAG_CHOICES}
  --store DIR               the pool's shared directory, as mounted here (the server's --store)
  --inline-max-mb N         results up to this size go to Redis, bigger ones to --store (default ${D.inlineMaxMb})
  --max-side N, --max-pixels N  image limits the engine checks again (default ${D.maxSide}, ${D.maxPixels}; as the server's)
  --cancel-grace-seconds N  time a cancelled job may take to stop before its engine is killed (default ${D.cancelGraceSeconds})
  --lock-seconds N          a job whose worker stops renewing its lock this long is given to another (default ${DEFAULTS.lockSeconds})
  --stalled-check-seconds N how often this worker looks for such jobs (default ${DEFAULTS.stalledCheckSeconds}): a lost worker's job
                            waits between --lock-seconds and the sum of both (${DEFAULTS.lockSeconds}–${DEFAULTS.lockSeconds + DEFAULTS.stalledCheckSeconds} s) before
                            another worker takes it, and continues from its last checkpoint
  --max-stalls N            a job taken back more often than this fails (default ${DEFAULTS.maxStalls})
  --checkpoint-every N      checkpoint a job every N evaluations exactly (default: every ${DEFAULT_CHECKPOINT_EVERY.evaluations} evaluations or
                            ${DEFAULT_CHECKPOINT_EVERY.ms / 1000} s, at most ${DEFAULT_CHECKPOINT_EVERY.maxShare * 100} % of the run); a retried job repaints at most the evaluations since
  --on-shutdown MODE        on Ctrl-C / SIGTERM: finish (default) or hand-back the running jobs
  --quiet                   no per-job log lines`;

const NUMERIC = ['concurrency', 'inline-max-mb', 'max-side', 'max-pixels', 'cancel-grace-seconds', 'lock-seconds', 'stalled-check-seconds', 'max-stalls', 'checkpoint-every'] as const;
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const RANGES: Record<(typeof NUMERIC)[number], [number, number, boolean]> = {
  concurrency: [1, 64, true],
  'inline-max-mb': [0, 512, false],
  'max-side': [16, 8192, true],
  'max-pixels': [256, 1_000_000_000, true],
  'cancel-grace-seconds': [0, 3600, false],
  'lock-seconds': [1, 3600, false],
  'stalled-check-seconds': [0.1, 3600, false],
  'max-stalls': [0, 100, true],
  'checkpoint-every': [1, 1_000_000, true],
};

/** `pastiche worker`: runs until SIGINT/SIGTERM (finish), a second one hands the running jobs back. */
export async function workerCommand(argv: string[]): Promise<void> {
  const values = parseFlags(argv);
  if (values.help) {
    process.stdout.write(`${WORKER_HELP}\n`);
    return;
  }
  if (!values.queue) throw new CliError('--queue: required (redis://host:port of the pool; see pastiche worker --help)', 2);
  const n: Record<string, number> = {};
  for (const flag of NUMERIC) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    const [min, max, integer] = RANGES[flag];
    if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
      throw new CliError(`--${flag}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`, 2);
    }
    n[camel(flag)] = value;
  }
  const backend = parseBackendFlag(values.backend);
  const models = (values.model ?? D.models) as VggModelName[];
  for (const model of models) if (model !== 'vgg16' && model !== 'vgg19') throw new CliError(`--model: expected vgg16 or vgg19, got "${model}"`, 2);
  const mode = values['on-shutdown'] ?? 'finish';
  if (mode !== 'finish' && mode !== 'hand-back') throw new CliError(`--on-shutdown: expected finish or hand-back, got "${mode}"`, 2);
  let queue;
  try {
    queue = parseQueueUrl(values.queue, 'queue');
  } catch (error) {
    if (error instanceof PasticheInputError) throw new CliError(`--queue: ${error.message.slice(error.field.length + 2)}`, 2);
    throw error;
  }
  const weights = values.weights ?? process.env.PASTICHE_WEIGHTS;
  // Downloaded once here, so that the engine processes find it in the cache.
  for (const model of models) await resolveWeightsSource(model, weights);

  const config: PoolWorkerConfig = {
    queue,
    name: values.name,
    concurrency: n.concurrency ?? DEFAULTS.concurrency,
    engine: { backend, models, weights, maxSide: n.maxSide ?? D.maxSide, maxPixels: n.maxPixels ?? D.maxPixels, ...(n.checkpointEvery && { checkpointEvery: n.checkpointEvery }) },
    cancelGraceSeconds: n.cancelGraceSeconds ?? D.cancelGraceSeconds,
    store: values.store,
    inlineMaxMb: n.inlineMaxMb ?? D.inlineMaxMb,
    lockSeconds: n.lockSeconds ?? DEFAULTS.lockSeconds,
    stalledCheckSeconds: n.stalledCheckSeconds ?? DEFAULTS.stalledCheckSeconds,
    maxStalls: n.maxStalls ?? DEFAULTS.maxStalls,
  };
  const log = values.quiet ? () => {} : (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const worker = await startPoolWorker(config, { log });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`pastiche worker ${worker.name}`);
  out(describeBackendChoice(worker.engines.info.backend));
  out(`queue: ${queue.display}; ${config.concurrency} job(s) at a time`);
  out(`Ctrl-C stops (${mode === 'finish' ? 'running jobs finish first; a second Ctrl-C hands them back' : 'running jobs are handed back to the queue'})`);

  await untilStopped(() => worker.close(mode), { says: 'handing the running jobs back', run: () => worker.handBackRunning() });
}

function parseFlags(argv: string[]) {
  return parseCommandFlags('worker', argv, {
    ...Object.fromEntries(NUMERIC.map((f) => [f, { type: 'string' as const }])),
    queue: { type: 'string' },
    name: { type: 'string' },
    weights: { type: 'string' },
    model: { type: 'string', multiple: true },
    backend: { type: 'string' },
    store: { type: 'string' },
    'on-shutdown': { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }).values as Record<(typeof NUMERIC)[number] | 'queue' | 'name' | 'weights' | 'backend' | 'store' | 'on-shutdown', string | undefined> & {
    model?: string[];
    quiet?: boolean;
    help?: boolean;
  };
}
