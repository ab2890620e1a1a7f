// Runner overhead: the wall time of a job through `pastiche serve` (POST the envelope → SSE until done →
// GET the PNG, over HTTP on 127.0.0.1, the runner in its own process as the editors use it) against the
// same run in process (decode the same files → stylize → encode the PNG), and the time to the first
// progress event on each path. Previews are off on both paths. Then the HTTP server while a job paints
// in its engine process: health latency p50/p99, and the job's wall time with 20 clients polling health.
//
//   node --import tsx bench/runner-overhead.ts [--quick] [--backend auto|NAME] [--json FILE]
//
// The health pollers keep their connections open (node:http with a keep-alive agent), as browsers do;
// their own CPU is printed beside the server's, since on this 2-core machine both come out of the job's.
//
// Prints a table, then the results as one JSON line (the last line of stdout); `runRunnerOverhead` and
// `runnerOverheadTables` are the same for `npm run bench`.
import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { createPastiche, type StylizeOptions } from '@pastiche/core';
import type { NodeBackendName } from '@pastiche/core';
import { selectBackend } from '../packages/node-runner/src/backend/selectBackend.ts';
import { encodeImage } from '../packages/node-runner/src/images/encodeImage.ts';
import { decodeImage } from '../packages/node-runner/src/images/readImageFile.ts';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import { resolveWeightsSource } from '../packages/node-runner/src/weights/index.ts';
import { parseEventStream } from '../packages/node-runner/test/serve/helpers/parseEventStream.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, IMAGES_DIR, isMain, loadAverage, log, machine, median, parseArgs, REAL_WEIGHTS_DIR, REPO_DIR, round } from './common.ts';
import { printTable, type Table } from './printTable.ts';
import { startRunnerProcess, type RunnerProcess } from './startRunnerProcess.ts';

export interface RunnerOverheadOptions {
  quick?: boolean;
  /** Default `auto`: the engine `pastiche serve` picks by default. */
  backend?: NodeBackendName | 'auto';
}

interface Timing {
  totalMs: number;
  firstProgressMs: number;
}

export interface RunnerOverheadCase {
  size: number;
  evaluations: number;
  inProcess: Timing[];
  runner: Timing[];
  medianInProcessMs: number;
  medianRunnerMs: number;
  overheadMs: number;
  overheadPercent: number;
  medianFirstProgressInProcessMs: number;
  medianFirstProgressRunnerMs: number;
}

/** The HTTP server while a job paints in its engine process: health latency, and the job's wall time under polling. */
export interface HealthDuringJob {
  size: number;
  evaluations: number;
  repeats: number;
  /** GET /v1/health from one client every 50 ms during the job. */
  healthP50Ms: number;
  healthP99Ms: number;
  /** The same from 20 clients at once, each every 100 ms (200 requests/s). */
  healthP50Ms20: number;
  healthP99Ms20: number;
  /** Each job's wall time, quiet and under the 20 pollers, in the order they ran (alternating). */
  jobMsQuiet: number[];
  jobMsWith20Pollers: number[];
  medianJobMsQuiet: number;
  medianJobMsWith20Pollers: number;
  /** (with 20 pollers − quiet) / quiet; target within 5 %. */
  slowdownPercent: number;
  /** 20 clients polling back to back (as fast as the server answers): a stress, not a use. */
  medianJobMsWith20BackToBack: number;
  slowdownPercentBackToBack: number;
  /** CPU time per health request, measured while 20 clients poll back to back: the server process, and the pollers. */
  serverCpuMsPerRequest: number;
  clientCpuMsPerRequest: number;
}

export interface RunnerOverheadResult {
  backend: string;
  repeats: number;
  loadAverage: string;
  machine: ReturnType<typeof machine>;
  cases: RunnerOverheadCase[];
  health: HealthDuringJob;
}

const CONTENT_FILE = path.join(IMAGES_DIR, 'tubingen.jpg');
const STYLE_FILE = path.join(IMAGES_DIR, 'starry_night.jpg');

export async function runRunnerOverhead(options: RunnerOverheadOptions = {}): Promise<RunnerOverheadResult> {
  const preference = options.backend ?? 'auto';
  const plan = options.quick ? { sizes: [64], evaluations: 8, repeats: 2 } : { sizes: [64, 128], evaluations: 10, repeats: 3 };
  const content = new Uint8Array(await readFile(CONTENT_FILE));
  const style = new Uint8Array(await readFile(STYLE_FILE));

  const backend = await selectBackend(preference);
  const engine = createPastiche({ weights: { vgg16: await resolveWeightsSource('vgg16', REAL_WEIGHTS_DIR) }, createEngine: backend.createEngine });
  await engine.loadModel('vgg16');
  const runner = await startRunnerProcess(backend.name);
  try {
    const cases: RunnerOverheadCase[] = [];
    for (const size of plan.sizes) {
      const jobOptions: StylizeOptions = { size, evaluations: plan.evaluations, styleLayers: BLOCK3_STYLE_LAYERS, contentLayers: CONTENT_LAYERS, seed: 7 };
      const inProcess: Timing[] = [];
      const viaRunner: Timing[] = [];
      await runInProcess(engine, content, style, jobOptions); // warm-up: kernels, allocator, first-size effects
      await runThroughRunner(runner, content, style, jobOptions);
      for (let i = 0; i < plan.repeats; i++) {
        inProcess.push(await runInProcess(engine, content, style, jobOptions));
        viaRunner.push(await runThroughRunner(runner, content, style, jobOptions));
      }
      const medianIn = median(inProcess.map((t) => t.totalMs));
      const medianRunner = median(viaRunner.map((t) => t.totalMs));
      cases.push({
        size,
        evaluations: plan.evaluations,
        inProcess,
        runner: viaRunner,
        medianInProcessMs: round(medianIn),
        medianRunnerMs: round(medianRunner),
        overheadMs: round(medianRunner - medianIn),
        overheadPercent: round(((medianRunner - medianIn) / medianIn) * 100),
        medianFirstProgressInProcessMs: round(median(inProcess.map((t) => t.firstProgressMs))),
        medianFirstProgressRunnerMs: round(median(viaRunner.map((t) => t.firstProgressMs))),
      });
      log(`runner overhead: ${size} px done`);
    }
    const health = await measureHealthDuringJob(runner, content, style, options.quick ? { size: 128, evaluations: 20, repeats: 2 } : { size: 256, evaluations: 15, repeats: 5 });
    log('runner overhead: health during a job done');
    return { backend: backend.name, repeats: plan.repeats, loadAverage: loadAverage(), machine: machine(), cases, health };
  } finally {
    engine.dispose();
    await runner.stop();
  }
}

export function runnerOverheadTables(result: RunnerOverheadResult): Table[] {
  return [
    {
      title: `Runner overhead: a job through pastiche serve vs in process (${result.backend}, median of ${result.repeats})`,
      notes: [
        'runner: POST envelope → SSE to done → GET PNG, runner in its own process; in process: decode → stylize → encode PNG',
        `load average ${result.loadAverage}`,
      ],
      columns: ['size px', 'evaluations', 'in process ms', 'runner ms', 'overhead ms', 'overhead %', '1st progress in process ms', '1st progress runner ms'],
      rows: result.cases.map((c) => [
        c.size,
        c.evaluations,
        c.medianInProcessMs,
        c.medianRunnerMs,
        c.overheadMs,
        c.overheadPercent,
        c.medianFirstProgressInProcessMs,
        c.medianFirstProgressRunnerMs,
      ]),
    },
    {
      title: `The server during a ${result.health.size} px job of ${result.health.evaluations} evaluations (engine in its own process; median of ${result.health.repeats})`,
      notes: [
        'health: GET /v1/health latency from 1 client polling every 50 ms, and from 20 clients each polling every 100 ms',
        'target: the job within 5 % of its quiet wall time under the 20 pollers; back to back: 20 clients as fast as answered (a stress on 2 cores)',
        `CPU per health request: server ${result.health.serverCpuMsPerRequest} ms, the polling client ${result.health.clientCpuMsPerRequest} ms (keep-alive connections, as browsers keep)`,
      ],
      columns: ['health p50 ms', 'health p99 ms', 'p50 ms, 20 pollers', 'p99 ms, 20 pollers', 'job ms quiet', 'job ms, 20 pollers', 'slowdown %', 'job ms, 20 back to back', 'slowdown % back to back'],
      rows: [
        [
          result.health.healthP50Ms,
          result.health.healthP99Ms,
          result.health.healthP50Ms20,
          result.health.healthP99Ms20,
          result.health.medianJobMsQuiet,
          result.health.medianJobMsWith20Pollers,
          result.health.slowdownPercent,
          result.health.medianJobMsWith20BackToBack,
          result.health.slowdownPercentBackToBack,
        ],
      ],
    },
  ];
}

/** Runs the same job quietly, with one health poller, with 20 (every 100 ms each), and with 20 back to back, in turn. */
async function measureHealthDuringJob(
  runner: RunnerProcess,
  content: Uint8Array,
  style: Uint8Array,
  plan: { size: number; evaluations: number; repeats: number },
): Promise<HealthDuringJob> {
  const options: StylizeOptions = { size: plan.size, evaluations: plan.evaluations, styleLayers: BLOCK3_STYLE_LAYERS, contentLayers: CONTENT_LAYERS, seed: 7 };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
  const getHealth = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get(`${runner.url}/v1/health`, { agent }, (response) => {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk) => (body += chunk));
          response.on('end', () => (response.statusCode === 200 && JSON.parse(body).name === 'pastiche' ? resolve() : reject(new Error(`health: HTTP ${response.statusCode}`))));
        })
        .on('error', reject);
    });
  const poll = async (latencies: number[], stop: { done: boolean }, pauseMs: number) => {
    while (!stop.done) {
      const started = performance.now();
      await getHealth();
      latencies.push(performance.now() - started);
      if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    }
  };
  const withPollers = async (count: number, pauseMs: number, latencies: number[]) => {
    const stop = { done: false };
    const pollers = Array.from({ length: count }, () => poll(latencies, stop, pauseMs));
    const timing = await runThroughRunner(runner, content, style, options);
    stop.done = true;
    await Promise.all(pollers);
    return timing.totalMs;
  };
  // CPU per request, from the server's /proc counters and our own, over 4000 requests after a warm-up.
  const cpuPerRequest = async () => {
    const requests = 4000;
    const serverBefore = processCpuMs(runner.pid);
    const clientBefore = process.cpuUsage();
    await Promise.all(Array.from({ length: 20 }, async () => { for (let i = 0; i < requests / 20; i++) await getHealth(); }));
    const client = process.cpuUsage(clientBefore);
    return { server: (processCpuMs(runner.pid) - serverBefore) / requests, client: (client.user + client.system) / 1000 / requests };
  };
  await cpuPerRequest(); // warm-up: the server's JIT
  const cpu = await cpuPerRequest();
  const one: number[] = [];
  const twenty: number[] = [];
  const quiet: number[] = [];
  const polled: number[] = [];
  const stressed: number[] = [];
  await runThroughRunner(runner, content, style, options); // warm-up
  for (let i = 0; i < plan.repeats; i++) {
    quiet.push(await withPollers(0, 0, []));
    await withPollers(1, 50, one);
    polled.push(await withPollers(20, 100, twenty));
    stressed.push(await withPollers(20, 0, []));
  }
  const percentile = (values: number[], p: number) => round([...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]);
  const medianQuiet = median(quiet);
  const medianPolled = median(polled);
  return {
    size: plan.size,
    evaluations: plan.evaluations,
    repeats: plan.repeats,
    healthP50Ms: percentile(one, 50),
    healthP99Ms: percentile(one, 99),
    healthP50Ms20: percentile(twenty, 50),
    healthP99Ms20: percentile(twenty, 99),
    jobMsQuiet: quiet,
    jobMsWith20Pollers: polled,
    medianJobMsQuiet: round(medianQuiet),
    medianJobMsWith20Pollers: round(medianPolled),
    slowdownPercent: round(((medianPolled - medianQuiet) / medianQuiet) * 100),
    medianJobMsWith20BackToBack: round(median(stressed)),
    slowdownPercentBackToBack: round(((median(stressed) - medianQuiet) / medianQuiet) * 100),
    serverCpuMsPerRequest: round(cpu.server, 3),
    clientCpuMsPerRequest: round(cpu.client, 3),
  };
}

/** A process's user + system CPU time so far, from /proc (Linux). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

async function runInProcess(engine: ReturnType<typeof createPastiche>, content: Uint8Array, style: Uint8Array, options: StylizeOptions): Promise<Timing> {
  const started = performance.now();
  let firstProgressMs = NaN;
  const image = await decodeImage(content, 'content', options.size);
  const styleImage = await decodeImage(style, 'style', options.size);
  const result = await engine.stylize(
    { content: image, styles: [{ image: styleImage }], options },
    { onProgress: () => void (Number.isNaN(firstProgressMs) && (firstProgressMs = performance.now() - started)) },
  );
  await encodeImage(result.image, 'png');
  return { totalMs: round(performance.now() - started), firstProgressMs: round(firstProgressMs) };
}

async function runThroughRunner(runner: RunnerProcess, content: Uint8Array, style: Uint8Array, options: StylizeOptions): Promise<Timing> {
  const auth = { authorization: `Bearer ${runner.token}` };
  const started = performance.now();
  const body = encodeJobEnvelope({ content, styles: [{ image: style }], options, preview: { every: 0 } });
  const submitted = await fetch(`${runner.url}/v1/jobs`, { method: 'POST', headers: { ...auth, 'content-type': JOB_CONTENT_TYPE }, body });
  if (submitted.status !== 202) throw new Error(`submit: HTTP ${submitted.status} ${await submitted.text()}`);
  const { id } = (await submitted.json()) as { id: string };
  let firstProgressMs = NaN;
  let last = '';
  const events = await fetch(`${runner.url}/v1/jobs/${id}/events`, { headers: auth });
  for await (const item of parseEventStream(events.body!)) {
    if (item.kind !== 'event') continue;
    last = item.event;
    if (item.event === 'progress' && Number.isNaN(firstProgressMs)) firstProgressMs = performance.now() - started;
  }
  if (last !== 'done') throw new Error(`job ${id} ended with ${last}`);
  const png = await fetch(`${runner.url}/v1/jobs/${id}/result`, { headers: auth });
  await png.arrayBuffer();
  return { totalMs: round(performance.now() - started), firstProgressMs: round(firstProgressMs) };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const json = args.get('json');
  runRunnerOverhead({ quick: args.has('quick'), backend: (args.get('backend') as NodeBackendName | undefined) ?? 'auto' }).then(
    async (result) => {
      for (const table of runnerOverheadTables(result)) printTable(table);
      if (typeof json === 'string') await writeFile(json, `${JSON.stringify(result, null, 1)}\n`);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
