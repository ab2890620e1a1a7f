// Team pool: `pastiche serve --queue` on a real redis-server with 1, 2 and 3 `pastiche worker` processes on this
// machine. Jobs per minute at 128 px (a batch submitted at once, until the last is done); the wall time of one job
// alone through the pool against the same job through the in-memory runner (the queue's overhead); and the time
// from a worker's SIGKILL to its job starting again on another worker, with the test settings (lock 2 s, check
// 0.5 s) and with the defaults (lock 20 s, check 5 s).
//
//   node --import tsx bench/pool-throughput.ts [--quick]      (or npm run bench -- --only pool)
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { parseEventStream } from '../packages/node-runner/test/serve/helpers/parseEventStream.ts';
import { startWorkerProcess, type WorkerProcess } from '../packages/node-runner/test/pool/helpers/poolWorkerProcess.ts';
import { startRedisServer } from '../packages/node-runner/test/pool/helpers/redisServer.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, IMAGES_DIR, isMain, loadAverage, log, machine, median, parseArgs, round } from './common.ts';
import { printTable, type Table } from './printTable.ts';
import { startRunnerProcess, type RunnerProcess } from './startRunnerProcess.ts';

const SIZE = 128;
const EVALUATIONS = 10;

export interface PoolThroughputResult {
  size: number;
  evaluations: number;
  loadAverage: string;
  machine: ReturnType<typeof machine>;
  throughput: Array<{ workers: number; jobs: number; seconds: number; jobsPerMinute: number }>;
  singleJob: { memoryMs: number[]; poolMs: number[]; medianMemoryMs: number; medianPoolMs: number; overheadMs: number };
  deathToRestart: Array<{ settings: string; seconds: number }>;
}

type Client = { url: string; token: string };
const options = { size: SIZE, evaluations: EVALUATIONS, styleLayers: BLOCK3_STYLE_LAYERS, contentLayers: CONTENT_LAYERS, seed: 1 };

async function body(evaluations = EVALUATIONS) {
  const content = new Uint8Array(await readFile(path.join(IMAGES_DIR, 'tubingen.jpg')));
  const style = new Uint8Array(await readFile(path.join(IMAGES_DIR, 'starry_night.jpg')));
  return encodeJobEnvelope({ content, styles: [{ image: style }], options: { ...options, evaluations }, preview: { every: 0 } });
}

async function submit(client: Client, evaluations?: number): Promise<string> {
  const response = await fetch(`${client.url}/v1/jobs`, { method: 'POST', body: await body(evaluations), headers: { authorization: `Bearer ${client.token}`, 'content-type': JOB_CONTENT_TYPE } });
  if (response.status !== 202) throw new Error(`submit: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Follows a job's events to its end; `onEvent` sees each with the time it arrived. */
async function follow(client: Client, id: string, onEvent?: (type: string, data: any) => void): Promise<string> {
  const response = await fetch(`${client.url}/v1/jobs/${id}/events`, { headers: { authorization: `Bearer ${client.token}` } });
  let last = '';
  for await (const item of parseEventStream(response.body!)) {
    if (item.kind === 'comment') continue;
    last = item.event;
    onEvent?.(item.event, JSON.parse(item.data));
  }
  if (last !== 'done') throw new Error(`job ${id} ended with ${last}`);
  return last;
}

async function oneJob(client: Client): Promise<number> {
  const started = performance.now();
  const id = await submit(client);
  await follow(client, id);
  await (await fetch(`${client.url}/v1/jobs/${id}/result`, { headers: { authorization: `Bearer ${client.token}` } })).arrayBuffer();
  return performance.now() - started;
}

export async function runPoolThroughput({ quick = false } = {}): Promise<PoolThroughputResult> {
  const batch = quick ? 6 : 12;
  const repeats = quick ? 3 : 5;
  const redis = await startRedisServer();
  const workers: WorkerProcess[] = [];
  let memory: RunnerProcess | undefined;
  let pool: RunnerProcess | undefined;
  try {
    log(`pool: the in-memory runner, ${repeats} jobs of ${SIZE} px, one at a time`);
    memory = await startRunnerProcess('wasm');
    await oneJob(memory); // warm-up
    const memoryMs: number[] = [];
    for (let i = 0; i < repeats; i++) memoryMs.push(await oneJob(memory));
    await memory.stop();
    memory = undefined;

    pool = await startRunnerProcess('wasm', ['--queue', redis.url, '--queue-cap', '100']);
    const throughput: PoolThroughputResult['throughput'] = [];
    let poolMs: number[] = [];
    for (const count of [1, 2, 3]) {
      while (workers.length < count) workers.push(await startWorkerProcess(redis.url, `bench-${workers.length + 1}`));
      if (count === 1) {
        log(`pool: one worker, ${repeats} jobs one at a time`);
        await oneJob(pool);
        for (let i = 0; i < repeats; i++) poolMs.push(await oneJob(pool));
      }
      log(`pool: ${count} worker(s), ${batch} jobs at once`);
      const started = performance.now();
      const ids = await Promise.all(Array.from({ length: batch }, () => submit(pool!)));
      await Promise.all(ids.map((id) => follow(pool!, id)));
      const seconds = (performance.now() - started) / 1000;
      throughput.push({ workers: count, jobs: batch, seconds: round(seconds), jobsPerMinute: round((batch / seconds) * 60) });
    }

    const deathToRestart: PoolThroughputResult['deathToRestart'] = [];
    for (const [settings, extra] of [
      ['lock 2 s, check 0.5 s (the tests)', []],
      ['lock 20 s, check 5 s (the defaults)', ['--lock-seconds', '20', '--stalled-check-seconds', '5']],
    ] as Array<[string, string[]]>) {
      await Promise.all(workers.splice(0).map((w) => w.kill('SIGKILL')));
      for (let i = 0; i < 2; i++) workers.push(await startWorkerProcess(redis.url, `death-${deathToRestart.length}-${i}`, extra));
      log(`pool: SIGKILL a worker mid-job (${settings})`);
      const id = await submit(pool, 400);
      let killedAt = 0;
      let restartedAt = 0;
      let progressed: () => void;
      const progress = new Promise<void>((resolve) => (progressed = resolve));
      const followed = follow(pool, id, (type, data) => {
        if (type === 'progress' && data.totalEvaluation >= 2) progressed();
        if (type === 'started' && killedAt && !restartedAt) restartedAt = performance.now();
      });
      await progress;
      const { worker } = (await (await fetch(`${pool.url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${pool.token}` } })).json()) as { worker: string };
      const victim = workers.find((w) => w.name === worker)!;
      killedAt = performance.now();
      await victim.kill('SIGKILL');
      await followed;
      deathToRestart.push({ settings, seconds: round((restartedAt - killedAt) / 1000, 2) });
    }
    return {
      size: SIZE,
      evaluations: EVALUATIONS,
      loadAverage: loadAverage(),
      machine: machine(),
      throughput,
      singleJob: { memoryMs, poolMs, medianMemoryMs: round(median(memoryMs)), medianPoolMs: round(median(poolMs)), overheadMs: round(median(poolMs) - median(memoryMs)) },
      deathToRestart,
    };
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await memory?.stop();
    await pool?.stop();
    await redis.stop();
  }
}

export function poolThroughputTables(r: PoolThroughputResult): Table[] {
  const notes = [`${r.size} px, ${r.evaluations} evaluations, wasm, real blocks 1–3 weights; load average ${r.loadAverage}; every worker on this 2-core machine`];
  return [
    { title: 'Team pool: jobs per minute', notes, columns: ['workers', 'jobs', 's', 'jobs/min'], rows: r.throughput.map((t) => [t.workers, t.jobs, t.seconds, t.jobsPerMinute]) },
    {
      title: 'Team pool: one job alone, in-memory runner vs pool (1 worker)',
      notes,
      columns: ['in-memory ms (median)', 'pool ms (median)', 'overhead ms'],
      rows: [[r.singleJob.medianMemoryMs, r.singleJob.medianPoolMs, r.singleJob.overheadMs]],
    },
    { title: "Team pool: a worker's SIGKILL to its job starting on another", notes, columns: ['settings', 's'], rows: r.deathToRestart.map((d) => [d.settings, d.seconds]) },
  ];
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const result = await runPoolThroughput({ quick: args.has('quick') });
  for (const table of poolThroughputTables(result)) printTable(table);
  console.log(JSON.stringify(result));
  process.exit(0);
}
