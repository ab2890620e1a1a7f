// Trust in a team pool: 3 users × 10 small jobs each through `pastiche serve --queue` on a real redis-server with 2
// `pastiche worker` processes, while 20 pollers, each with one user's token, read random jobs of all three users
// without pause. Counts jobs lost (not succeeded in the end), misreported (a terminal state seen that is not the
// job's final one) and cross-user reads (a job answered to a token other than its owner's). Target: 0, 0, 0.
//
//   node --import tsx bench/pool-trust.ts      (or npm run bench -- --only trust)
import { encodeJobEnvelope, JOB_CONTENT_TYPE } from '@pastiche/web-bridge/wire';
import sharp from 'sharp';
import { startWorkerProcess, type WorkerProcess } from '../packages/node-runner/test/pool/helpers/poolWorkerProcess.ts';
import { startRedisServer } from '../packages/node-runner/test/pool/helpers/redisServer.ts';
import { addUserToken } from '../packages/node-runner/src/serve/userTokens.ts';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, isMain, loadAverage, log, round } from './common.ts';
import { printTable, type Table } from './printTable.ts';
import { startRunnerProcess, type RunnerProcess } from './startRunnerProcess.ts';

const USERS = ['ana', 'ben', 'cleo'];
const JOBS_PER_USER = 10;
const WORKERS = 2;
const POLLERS = 20;
const OPTIONS = { size: 32, evaluations: 3, styleLayers: BLOCK3_STYLE_LAYERS, contentLayers: CONTENT_LAYERS };

export interface PoolTrustResult {
  users: number;
  jobs: number;
  workers: number;
  pollers: number;
  polls: number;
  seconds: number;
  lost: number;
  misreported: number;
  crossUserReads: number;
  details: string[];
  loadAverage: string;
}

export async function runPoolTrust(): Promise<PoolTrustResult> {
  const redis = await startRedisServer();
  const workers: WorkerProcess[] = [];
  let server: RunnerProcess | undefined;
  try {
    server = await startRunnerProcess('wasm', ['--queue', redis.url, '--queue-cap', '100']);
    const tokens: string[] = [];
    for (const name of USERS) tokens.push(await addUserToken(server.configDir, name)); // one at a time: each rewrites the file
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorkerProcess(redis.url, `trust-${i + 1}`));
    const png = async (w: number, h: number, r: number) => new Uint8Array(await sharp({ create: { width: w, height: h, channels: 3, background: { r, g: 90, b: 30 } } }).png().toBuffer());
    const [content, style] = [await png(48, 36, 200), await png(40, 40, 40)];
    const url = server.url;
    const get = (id: string, token: string) => fetch(`${url}/v1/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } });

    log(`trust: ${USERS.length} users × ${JOBS_PER_USER} jobs, ${WORKERS} workers, ${POLLERS} pollers`);
    const started = performance.now();
    const jobs: Array<{ id: string; owner: number }> = [];
    await Promise.all(USERS.map(async (_, owner) => {
      for (let seed = 0; seed < JOBS_PER_USER; seed++) {
        const body = encodeJobEnvelope({ content, styles: [{ image: style }], options: { ...OPTIONS, seed }, preview: { every: 0 } });
        const response = await fetch(`${url}/v1/jobs`, { method: 'POST', body, headers: { authorization: `Bearer ${tokens[owner]}`, 'content-type': JOB_CONTENT_TYPE } });
        if (response.status !== 202) throw new Error(`submit: HTTP ${response.status} ${await response.text()}`);
        jobs.push({ id: ((await response.json()) as { id: string }).id, owner });
      }
    }));

    const seen = new Map<string, Set<string>>(jobs.map((j) => [j.id, new Set()]));
    const details: string[] = [];
    let polls = 0;
    let crossUserReads = 0;
    let finished = false;
    const poller = async (p: number) => {
      const user = p % USERS.length;
      while (!finished) {
        const job = jobs[Math.floor(Math.random() * jobs.length)];
        const response = await get(job.id, tokens[user]);
        polls++;
        const body = (await response.json()) as { status?: string };
        if (job.owner !== user) {
          if (response.status !== 404) {
            crossUserReads++;
            details.push(`${USERS[user]} read ${USERS[job.owner]}'s job: HTTP ${response.status}`);
          }
        } else if (response.status === 200 && ['succeeded', 'failed', 'cancelled'].includes(body.status!)) {
          seen.get(job.id)!.add(body.status!);
        }
      }
    };
    const pollers = Array.from({ length: POLLERS }, (_, p) => poller(p));
    // Done when every job is finished for its owner.
    const finals = new Map<string, string>();
    while (finals.size < jobs.length) {
      for (const job of jobs) {
        if (finals.has(job.id)) continue;
        const response = await get(job.id, tokens[job.owner]);
        const status = response.status === 200 ? ((await response.json()) as { status: string }).status : `HTTP ${response.status}`;
        if (status !== 'queued' && status !== 'running') finals.set(job.id, status);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = round((performance.now() - started) / 1000, 1);
    finished = true;
    await Promise.all(pollers);
    const lost = jobs.filter((j) => finals.get(j.id) !== 'succeeded');
    for (const j of lost) details.push(`job of ${USERS[j.owner]} ended ${finals.get(j.id)}`);
    let misreported = 0;
    for (const job of jobs) {
      const wrong = [...seen.get(job.id)!].filter((s) => s !== finals.get(job.id));
      if (wrong.length) {
        misreported++;
        details.push(`job of ${USERS[job.owner]} reported ${wrong.join(', ')} before ${finals.get(job.id)}`);
      }
    }
    return { users: USERS.length, jobs: jobs.length, workers: WORKERS, pollers: POLLERS, polls, seconds, lost: lost.length, misreported, crossUserReads, details: details.slice(0, 20), loadAverage: loadAverage() };
  } finally {
    await Promise.all(workers.map((w) => w.kill('SIGKILL')));
    await server?.stop();
    await redis.stop();
  }
}

export function poolTrustTable(r: PoolTrustResult): Table {
  return {
    title: `Pool trust: ${r.users} users × ${r.jobs / r.users} jobs (${OPTIONS.size} px, ${OPTIONS.evaluations} evaluations), ${r.workers} workers, ${r.pollers} pollers`,
    notes: [`load average ${r.loadAverage}`],
    columns: ['jobs', 'polls', 'seconds', 'lost', 'misreported', 'cross-user reads'],
    rows: [[r.jobs, r.polls, r.seconds, r.lost, r.misreported, r.crossUserReads]],
  };
}

if (isMain(import.meta.url)) {
  runPoolTrust().then(
    (result) => {
      printTable(poolTrustTable(result));
      for (const line of result.details) console.log(`  ${line}`);
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(result.lost || result.misreported || result.crossUserReads ? 1 : 0);
    },
    (error) => {
      console.error(error);
      process.exit(2);
    },
  );
}
