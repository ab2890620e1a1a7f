// Team pool, a worker lost at about 80 %: `pastiche serve --queue` on a real redis-server with two `pastiche worker`
// processes on this machine. One job through the pool uninterrupted, then the same job with the worker painting it
// killed (SIGKILL) at 80 % of the first run's painting time: the second continues from its last checkpoint on the
// other worker. Reports both wall times (submission to result), their ratio, how long the job waited for the lost
// worker's lock to lapse, and how many evaluations were painted twice.
//
//   node --import tsx bench/pool-resume.ts [--size 2048] [--evaluations N] [--scales N] [--backend auto] [--lock-seconds 20] [--store DIR]
//
// --store: the pool's shared directory (server and workers), where blobs above --inline-max-mb go. Without it a
// 2048 px checkpoint (≈ 830 MB) goes into Redis's memory, in 256 MB parts (createBlobStore.ts).
// The defaults are the issue's figure: 2048 px (the auto schedule), the best engine that loads, the workers' default
// lock (20 s, checked every 5 s). Where 2048 px is out of reach (two CPU cores), pass a smaller --size and say so.
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { parseEventStream } from '../packages/node-runner/test/serve/helpers/parseEventStream.ts';
import { startWorkerProcess, type WorkerProcess } from '../packages/node-runner/test/pool/helpers/poolWorkerProcess.ts';
import { startRedisServer } from '../packages/node-runner/test/pool/helpers/redisServer.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, IMAGES_DIR, isMain, loadAverage, log, machine, parseArgs, round } from './common.ts';
import { printTable, type Table } from './printTable.ts';
import { startRunnerProcess } from './startRunnerProcess.ts';

const KILL_AT = 0.8;

export interface PoolResumeResult {
  size: number;
  options: object;
  backend: string;
  lockSeconds: number;
  store?: string;
  loadAverage: string;
  machine: ReturnType<typeof machine>;
  uninterruptedS: number;
  interruptedS: number;
  ratio: number;
  /** From the SIGKILL to the job starting again on the other worker. */
  waitedS: number;
  evaluations: number;
  killedAfter: number;
  resumedAfter: number;
}

type Client = { url: string; token: string };
interface Followed {
  seconds: number;
  /** From its first start to its end. */
  paintMs: number;
  paintStartedAt: number;
  evaluations: number;
  killedAfter: number;
  resumedAfter: number;
  waitedS: number;
}

export async function runPoolResume({ size = 2048, evaluations, scales, backend = 'auto', lockSeconds = 20, store }: { size?: number; evaluations?: number; scales?: number; backend?: string; lockSeconds?: number; store?: string }): Promise<PoolResumeResult> {
  const options = { size, styleLayers: BLOCK3_STYLE_LAYERS, contentLayers: CONTENT_LAYERS, seed: 1, ...(evaluations && { evaluations }), ...(scales && { scales }) };
  const content = new Uint8Array(await readFile(path.join(IMAGES_DIR, 'tubingen.jpg')));
  const style = new Uint8Array(await readFile(path.join(IMAGES_DIR, 'starry_night.jpg')));
  const body = encodeJobEnvelope({ content, styles: [{ image: style }], options, preview: { every: 0 } });
  const redis = await startRedisServer();
  const workers: WorkerProcess[] = [];
  if (store) await mkdir(store, { recursive: true });
  const storeArgs = store ? ['--store', path.resolve(store)] : [];
  const pool = await startRunnerProcess('wasm', ['--queue', redis.url, '--max-job-seconds', String(7 * 24 * 3600), ...storeArgs]);
  try {
    const lock = ['--lock-seconds', String(lockSeconds), '--stalled-check-seconds', String(lockSeconds / 4)];
    for (const name of ['resume-1', 'resume-2']) workers.push(await startWorkerProcess(redis.url, name, [...lock, ...storeArgs], backend));

    /** Submits the job and follows it to its result; with `killAfterMs`, the worker painting it dies that long after it starts. */
    const paint = async (client: Client, killAfterMs?: number): Promise<Followed> => {
      const started = performance.now();
      const headers = { authorization: `Bearer ${client.token}` };
      const submitted = await fetch(`${client.url}/v1/jobs`, { method: 'POST', body, headers: { ...headers, 'content-type': JOB_CONTENT_TYPE } });
      if (submitted.status !== 202) throw new Error(`submit: HTTP ${submitted.status} ${await submitted.text()}`);
      const { id } = (await submitted.json()) as { id: string };
      const stream = await fetch(`${client.url}/v1/jobs/${id}/events`, { headers });
      const run: Followed = { seconds: 0, paintMs: 0, paintStartedAt: 0, evaluations: 0, killedAfter: 0, resumedAfter: 0, waitedS: 0 };
      let killedAt = 0;
      let killer: NodeJS.Timeout | undefined;
      let last = 0;
      let requeued = false;
      let ended = '';
      for await (const item of parseEventStream(stream.body!)) {
        if (item.kind === 'comment') continue;
        const data = JSON.parse(item.data);
        ended = item.event;
        if (item.event === 'started' && !run.paintStartedAt) {
          run.paintStartedAt = performance.now();
          if (killAfterMs !== undefined) {
            killer = setTimeout(async () => {
              const { worker } = (await (await fetch(`${client.url}/v1/jobs/${id}`, { headers })).json()) as { worker: string };
              killedAt = performance.now();
              run.killedAfter = last;
              log(`pool-resume: SIGKILL ${worker} after ${last} evaluations`);
              await workers.find((w) => w.name === worker)!.kill('SIGKILL');
            }, killAfterMs);
          }
        }
        if (item.event === 'requeued') requeued = true;
        if (item.event === 'started' && requeued && !run.waitedS) run.waitedS = round((performance.now() - killedAt) / 1000, 1);
        if (item.event === 'progress') {
          if (requeued && !run.resumedAfter) run.resumedAfter = data.totalEvaluation - 1;
          last = data.totalEvaluation;
        }
        if (item.event === 'done') {
          run.evaluations = data.stats.evaluations;
          run.paintMs = performance.now() - run.paintStartedAt;
        }
      }
      clearTimeout(killer);
      if (ended !== 'done') throw new Error(`job ${id} ended with ${ended}`);
      await (await fetch(`${client.url}/v1/jobs/${id}/result`, { headers })).arrayBuffer();
      run.seconds = (performance.now() - started) / 1000;
      return run;
    };

    log(`pool-resume: ${size} px through the pool, uninterrupted`);
    const uninterrupted = await paint(pool);
    log(`pool-resume: ${round(uninterrupted.seconds)} s; again, its worker killed at ${KILL_AT * 100} % of that`);
    const interrupted = await paint(pool, KILL_AT * uninterrupted.paintMs);
    return {
      size,
      options,
      backend,
      lockSeconds,
      ...(store && { store }),
      loadAverage: loadAverage(),
      machine: machine(),
      uninterruptedS: round(uninterrupted.seconds),
      interruptedS: round(interrupted.seconds),
      ratio: round(interrupted.seconds / uninterrupted.seconds, 2),
      waitedS: interrupted.waitedS,
      evaluations: uninterrupted.evaluations,
      killedAfter: interrupted.killedAfter,
      resumedAfter: interrupted.resumedAfter,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await pool.stop();
    await redis.stop();
  }
}

export function poolResumeTable(r: PoolResumeResult): Table {
  return {
    title: 'Team pool: one job, its worker killed at 80 % (continued from its checkpoint on the other worker)',
    notes: [`${r.size} px, ${JSON.stringify(r.options)}, backend ${r.backend}, lock ${r.lockSeconds} s, store ${r.store ?? 'none (blobs in Redis)'}; load average ${r.loadAverage}; both workers on this machine`],
    columns: ['uninterrupted s', 'killed at 80 % s', 'ratio', 'waited for the lock s', 'evaluations', 'killed after', 'resumed after', 'painted twice'],
    rows: [[r.uninterruptedS, r.interruptedS, r.ratio, r.waitedS, r.evaluations, r.killedAfter, r.resumedAfter, r.killedAfter - r.resumedAfter]],
  };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const number = (name: string) => (args.has(name) ? Number(args.get(name)) : undefined);
  const result = await runPoolResume({
    size: number('size'),
    evaluations: number('evaluations'),
    scales: number('scales'),
    backend: (args.get('backend') as string | undefined) ?? 'auto',
    lockSeconds: number('lock-seconds'),
    store: args.get('store') as string | undefined,
  });
  printTable(poolResumeTable(result));
  console.log(JSON.stringify(result));
  process.exit(0);
}
