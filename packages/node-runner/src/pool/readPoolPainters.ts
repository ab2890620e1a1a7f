import type { EngineModel } from '../engine/engineMessages.ts';
import type { Painters } from '../queue/Painters.ts';
import type { PoolConnections } from './connectPool.ts';
import { poolKeys } from './poolKeys.ts';
import { isWorkerAnnouncement, type WorkerAnnouncement } from './poolMessages.ts';

/**
 * The pool as health reports it, from the workers' announcements (each refreshes its own key, which expires when
 * it stops): their engines and devices, and the models every one of them can paint (so that a job accepted here
 * runs on whichever worker takes it). While Redis is away: no workers, the queue marked unavailable.
 */
export async function readPoolPainters(connections: PoolConnections): Promise<Painters> {
  const { commands } = connections;
  const available = commands.status === 'ready';
  const workers = available ? await readAnnouncements(connections).catch(() => []) : [];
  const unique = (values: string[]) => [...new Set(values)].join('; ');
  return {
    backend: workers.length ? unique(workers.map((w) => w.backend)) : 'none',
    device: workers.length ? unique(workers.map((w) => `${w.name}: ${w.device}`)) : 'no pool worker connected',
    gpu: workers.some((w) => w.gpu),
    backends: workers[0]?.backends ?? [],
    models: workers.length ? modelsOfEvery(workers) : undefined,
    engine: { restarts: workers.reduce((n, w) => n + w.engine.restarts, 0), processes: workers.flatMap((w) => w.engine.processes) },
    pool: {
      queue: { kind: 'redis', url: connections.display, available, ...(available ? {} : { error: connections.lastError() ?? `connection ${commands.status}` }) },
      workers: workers.map(({ models: _models, backends: _backends, ...worker }) => worker),
    },
  };
}

async function readAnnouncements({ commands }: PoolConnections): Promise<WorkerAnnouncement[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await commands.scan(cursor, 'MATCH', poolKeys.workerPattern, 'COUNT', 100);
    keys.push(...found);
    cursor = next;
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await commands.mget(...keys);
  return values
    .flatMap((v) => {
      try {
        const parsed: unknown = v ? JSON.parse(v) : undefined;
        return isWorkerAnnouncement.Check(parsed) ? [parsed] : [];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function modelsOfEvery(workers: WorkerAnnouncement[]): EngineModel[] {
  return workers[0].models.flatMap((model) => {
    const others = workers.map((w) => w.models.find((m) => m.name === model.name));
    if (others.some((m) => !m)) return [];
    return [{ name: model.name, layers: model.layers.filter((layer) => others.every((m) => m!.layers.includes(layer))) }];
  });
}
