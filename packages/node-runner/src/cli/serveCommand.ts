import { PasticheInputError } from '@pastiche/core';
import { describeBackendChoice } from '../backend/selectBackend.ts';
import { BACKEND_FLAG_CHOICES, parseBackendFlag } from './backendFlag.ts';
import { CliError } from './CliError.ts';
import { parseQueueUrl } from '../pool/redisConnection.ts';
import { createRunner, type Runner } from '../serve/createRunner.ts';
import { pastichePlugin, photopeaUrl } from '@pastiche/photopea-plugin/embed';
import { BUILT_IN_ORIGINS, DEFAULT_PORT, isLoopbackHost, RUNNER_DEFAULTS as D, type RunnerConfigInput } from '../serve/runnerConfig.ts';
import { PHOTOPEA_ICON_PATH, PHOTOPEA_PANEL_PATH } from '../serve/routes/photopeaRoutes.ts';
import { parseCommandFlags } from './parseCommandFlags.ts';
import { untilStopped } from './untilStopped.ts';

export const SERVE_HELP = `Usage: pastiche serve [options]

Runs the local runner that the editor plugins hand big renders to (HTTP API under /v1).
Prints the backend, the address and the pairing token: paste the token into the plugin once.

  --port N                  TCP port (default ${DEFAULT_PORT}; 0 = any free port)
  --host ADDRESS            address to bind (default ${D.host}); anything but loopback needs --allow-remote
  --allow-remote            allow a non-loopback --host: other machines can then reach the runner
  --allow-origin URL        a browser origin allowed besides ${BUILT_IN_ORIGINS.join(' and ')} (repeat for several)
  --concurrency N           jobs run at once, each in its own engine process (default ${D.concurrency})
  --queue-cap N             jobs that may wait; one more gets 429 (default ${D.queueCap})
  --user-queue-cap N        jobs one user token may have waiting; one more gets 429 (default ${D.userQueueCap})
  --user-max-side N         longest side of a result a user token may ask for, px (default ${D.userMaxSide});
                            the pairing token and --operator tokens may go to --max-side
  --state-dir DIR           where jobs, their images, checkpoints and results live, so that a restarted runner (a crash,
                            kill -9, a reboot) continues its queued and running jobs (default $PASTICHE_STATE_DIR, else
                            $XDG_DATA_HOME/pastiche/runner, else ~/.local/share/pastiche/runner); one runner at a time
  --keep-results-minutes N  a finished job is kept this long after its result is fetched, or after it failed or was
                            cancelled (default ${D.keepResultsMinutes}); in a pool, this long after it ends
  --retention-hours N       a result nobody fetches is kept this long (default ${D.retentionHours})
  --max-side N              longest side of an input image and of a result, px (default ${D.maxSide})
  --max-pixels N            pixels of an input image (default ${D.maxPixels})
  --max-body-mb N           size of a job request, MB (default ${D.maxBodyMb})
  --upload-budget-mb N      job requests being received at once, all together, MB; one more gets 503 (default ${D.uploadBudgetMb})
  --spool-dir DIR           where uploads are kept while they arrive (default the state directory; the OS temp dir with --queue)
  --max-styles N            style images per job (default ${D.maxStyles})
  --max-evaluations N       evaluation budget of a job, all scales together (default ${D.maxEvaluations})
  --max-job-seconds N       wall time of a running job; past it the job's engine is killed (default ${D.maxJobSeconds})
  --body-timeout-seconds N  a connection that sends nothing for this long (a stalled upload) is cut (default ${D.bodyTimeoutSeconds})
  --request-timeout-seconds N  time for a whole request, headers and body, to arrive (default ${D.requestTimeoutSeconds})
  --cancel-grace-seconds N  time a cancelled job may take to stop before its engine is killed (default ${D.cancelGraceSeconds})
  --weights PATH|URL        VGG weights, as for pastiche stylize (default $PASTICHE_WEIGHTS, else the Keras ImageNet weights)
  --model NAME              vgg16 or vgg19; repeat to offer both (default ${D.models.join(',')})
  --backend NAME            ${BACKEND_FLAG_CHOICES}
  --on-shutdown MODE        on Ctrl-C / SIGTERM: keep (default: queued and running jobs continue at the next start,
                            from their last checkpoints), cancel them, or finish the running ones (a second Ctrl-C cancels)
  --quiet                   no per-job log lines

Team pool (see README, "Team pool"): jobs go to a shared queue, painted by \`pastiche worker\`s on other machines
  --queue URL               redis://[user:password@]host:port[/db] (rediss:// for TLS); no engine runs here then
  --store DIR               shared directory (mounted by every worker) for images and results above --inline-max-mb;
                            without it everything is kept in Redis
  --inline-max-mb N         images and results up to this size go to Redis (default ${D.inlineMaxMb})
  --attempts N              tries of a job whose worker is lost or whose engine fails (default ${D.attempts});
                            a refused input is never retried

The token is kept in $PASTICHE_CONFIG_DIR, else $XDG_CONFIG_HOME/pastiche, else ~/.config/pastiche (file mode 0600).`;

const NUMERIC = ['port', 'concurrency', 'queue-cap', 'user-queue-cap', 'user-max-side', 'keep-results-minutes', 'max-side', 'max-pixels', 'max-body-mb', 'upload-budget-mb', 'max-styles', 'max-evaluations', 'max-job-seconds', 'retention-hours', 'body-timeout-seconds', 'request-timeout-seconds', 'cancel-grace-seconds', 'inline-max-mb', 'attempts'] as const;
const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** A setting named in an error, as the flag the user typed: queueCap → --queue-cap, allowOrigins[0] → --allow-origin. */
const flagOf = (setting: string) =>
  ({ allowOrigins: '--allow-origin', models: '--model' } as Record<string, string>)[setting] ?? `--${setting.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** `pastiche serve`: starts the runner and runs until SIGINT/SIGTERM, then shuts down gracefully. */
export async function serveCommand(argv: string[]): Promise<void> {
  const values = parseFlags(argv);
  if (values.help) {
    process.stdout.write(`${SERVE_HELP}\n`);
    return;
  }
  const config: RunnerConfigInput = {
    host: values.host,
    allowRemote: values['allow-remote'],
    allowOrigins: values['allow-origin'],
    weights: values.weights,
    models: values.model as RunnerConfigInput['models'],
    backend: values.backend === undefined ? undefined : parseBackendFlag(values.backend),
    onShutdown: values['on-shutdown'] as RunnerConfigInput['onShutdown'],
    queue: values.queue,
    store: values.store,
    spoolDir: values['spool-dir'],
    stateDir: values['state-dir'],
  };
  for (const flag of NUMERIC) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${flag}: expected a number, got "${raw}"`, 2);
    (config as Record<string, number>)[camel(flag)] = n;
  }

  // The Photopea panel this runner serves calls the API from the runner's own origin (POSTs carry Origin).
  const port = config.port ?? D.port;
  if (port !== 0) config.allowOrigins = [...(config.allowOrigins ?? []), ...['127.0.0.1', 'localhost'].map((host) => `http://${host}:${port}`)];

  const log = values.quiet ? undefined : (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  const runner = await startRunner(config, log);

  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`pastiche serve ${runner.version}`);
  out(runner.backend ? describeBackendChoice(runner.backend) : `pool: jobs go to the queue at ${parseQueueUrl(runner.config.queue!).display}; \`pastiche worker --queue …\` machines paint them`);
  out(`models: ${runner.models.join(', ')}`);
  out(`listening on ${runner.url}`);
  out(`pairing token: ${runner.token}`);
  out(`  (${runner.tokenCreated ? 'new, saved in' : 'from'} ${runner.tokenFile}; editors send it as "Authorization: Bearer <token>")`);
  const panel = new URL(PHOTOPEA_PANEL_PATH, runner.url);
  out(`Photopea with Pastiche: ${photopeaUrl({ plugins: [pastichePlugin(panel, new URL(PHOTOPEA_ICON_PATH, runner.url), new URLSearchParams({ runner: runner.url }))] })}`);
  if (!isLoopbackHost(runner.config.host)) {
    process.stderr.write(`warning: listening on ${runner.config.host}, not loopback: any machine that can reach this one may use the runner with the token\n`);
  }
  if (!runner.config.queue) out(`state: ${runner.config.stateDir}`);
  out(`Ctrl-C stops (${SHUTDOWN_SAYS[runner.config.onShutdown]})`);

  await untilStopped(() => runner.close(), { says: 'cancelling running jobs', run: () => runner.cancelRunning() });
}

const SHUTDOWN_SAYS = {
  keep: 'queued and running jobs continue at the next start',
  cancel: 'running jobs are cancelled',
  finish: 'running jobs finish first; a second Ctrl-C cancels them',
};

/** createRunner, with a refused setting reported as the flag that set it (exit code 2). */
async function startRunner(config: RunnerConfigInput, log?: (line: string) => void): Promise<Runner> {
  try {
    return await createRunner(config, {
      log,
      onWeightsProgress: (model, received, total) =>
        process.stderr.write(`downloading ${model} weights: ${(received / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}\r`),
    });
  } catch (error) {
    if (error instanceof PasticheInputError && error.field.startsWith('config.')) {
      const setting = /^config\.(\w+)/.exec(error.field)![1];
      throw new CliError(`${flagOf(setting)}: ${error.message.slice(error.field.length + 2)}`, 2);
    }
    throw error;
  }
}

function parseFlags(argv: string[]) {
  return parseCommandFlags('serve', argv, {
    ...Object.fromEntries(NUMERIC.map((f) => [f, { type: 'string' as const }])),
    host: { type: 'string' },
    'allow-remote': { type: 'boolean' },
    'allow-origin': { type: 'string', multiple: true },
    weights: { type: 'string' },
    model: { type: 'string', multiple: true },
    backend: { type: 'string' },
    'on-shutdown': { type: 'string' },
    queue: { type: 'string' },
    store: { type: 'string' },
    'spool-dir': { type: 'string' },
    'state-dir': { type: 'string' },
    quiet: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  }).values as Record<(typeof NUMERIC)[number] | 'host' | 'weights' | 'backend' | 'on-shutdown' | 'queue' | 'store' | 'spool-dir' | 'state-dir', string | undefined> & {
    'allow-remote'?: boolean;
    'allow-origin'?: string[];
    model?: string[];
    quiet?: boolean;
    help?: boolean;
  };
}
