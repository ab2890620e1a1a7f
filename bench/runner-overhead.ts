// Runner overhead: the wall time of a job through `pastiche serve` (POST the envelope → SSE until done →
// GET the PNG, over HTTP on 127.0.0.1, the runner in its own process as the editors use it) against the
// same run in process (decode the same files → stylize → encode the PNG), and the time to the first
// progress event on each path. Previews are off on both paths.
//
//   node --import tsx bench/runner-overhead.ts [--quick] [--backend wasm] [--json FILE]
//
// Prints a table, then the results as one JSON line (the last line of stdout); `runRunnerOverhead` and
// `runnerOverheadTables` are the same for `npm run bench`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPastiche, type StylizeOptions } from '@pastiche/core';
import { selectBackend, type BackendName } from '../packages/node-runner/src/backend/selectBackend.ts';
import { encodeImage } from '../packages/node-runner/src/images/encodeImage.ts';
import { decodeImage } from '../packages/node-runner/src/images/readImageFile.ts';
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '../packages/node-runner/src/serve/jobs/jobEnvelope.ts';
import { resolveWeightsSource } from '../packages/node-runner/src/weights/index.ts';
import { parseEventStream } from '../packages/node-runner/test/serve/helpers/parseEventStream.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, IMAGES_DIR, isMain, loadAverage, log, machine, median, parseArgs, REAL_WEIGHTS_DIR, REPO_DIR, round } from './common.ts';
import { printTable, type Table } from './printTable.ts';

export interface RunnerOverheadOptions {
  quick?: boolean;
  backend?: BackendName;
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

export interface RunnerOverheadResult {
  backend: string;
  repeats: number;
  loadAverage: string;
  machine: ReturnType<typeof machine>;
  cases: RunnerOverheadCase[];
}

const CONTENT_FILE = path.join(IMAGES_DIR, 'tubingen.jpg');
const STYLE_FILE = path.join(IMAGES_DIR, 'starry_night.jpg');

export async function runRunnerOverhead(options: RunnerOverheadOptions = {}): Promise<RunnerOverheadResult> {
  const backendName = options.backend ?? 'wasm';
  const plan = options.quick ? { sizes: [64], evaluations: 8, repeats: 2 } : { sizes: [64, 128], evaluations: 10, repeats: 3 };
  const content = new Uint8Array(await readFile(CONTENT_FILE));
  const style = new Uint8Array(await readFile(STYLE_FILE));

  await selectBackend(backendName);
  const engine = createPastiche({ weights: { vgg16: await resolveWeightsSource('vgg16', REAL_WEIGHTS_DIR) } });
  await engine.loadModel('vgg16');
  const runner = await startRunnerProcess(backendName);
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
    return { backend: backendName, repeats: plan.repeats, loadAverage: loadAverage(), machine: machine(), cases };
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
  ];
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

interface RunnerProcess {
  url: string;
  token: string;
  stop(): Promise<void>;
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

/** `pastiche serve` in its own process on a free port, with a throwaway pairing token. */
async function startRunnerProcess(backend: BackendName): Promise<RunnerProcess> {
  const configDir = await mkdtemp(path.join(tmpdir(), 'pastiche-bench-'));
  const cli = path.join(REPO_DIR, 'packages/node-runner/src/cli/main.ts');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', cli, 'serve', '--port', '0', '--backend', backend, '--weights', REAL_WEIGHTS_DIR, '--quiet'],
    { cwd: REPO_DIR, env: { ...process.env, PASTICHE_CONFIG_DIR: configDir }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  let stdout = '';
  const { url, token } = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const url = /listening on (\S+)/.exec(stdout)?.[1];
      const token = /pairing token: (\S+)/.exec(stdout)?.[1];
      if (url && token) resolve({ url, token });
    });
    exited.then((code) => reject(new Error(`pastiche serve exited with ${code} before listening: ${stdout}`)));
  });
  return {
    url,
    token,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

if (isMain(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const json = args.get('json');
  runRunnerOverhead({ quick: args.has('quick'), backend: (args.get('backend') as BackendName | undefined) ?? 'wasm' }).then(
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
