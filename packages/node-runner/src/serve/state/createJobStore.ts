import { copyFile, mkdir, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { jobImageFiles, mapJobImageFiles, type EngineJob } from '../../engine/engineMessages.ts';
import { writeFileAtomically } from '../../images/writeFileAtomically.ts';
import { isStoredJob, type StoredJob } from './storedJob.ts';

const RECORD = 'job.json';
const RESULT = 'result.png';
const CHECKPOINT = 'checkpoint';

/**
 * The jobs of a runner's state directory, one folder each (`jobs/<id>/`): the record (job.json), the job's
 * images while it needs them, its last checkpoint while it runs, and its result until it expires. Every file is
 * written through a temporary file and a rename, so a crash at any moment leaves the previous version whole.
 */
export interface JobStore {
  /** Moves an upload's image files into the job's folder and writes its record; returns the inputs as they now are. */
  admit(record: StoredJob, inputs: EngineJob): Promise<EngineJob>;
  /** Rewrites a job's record (its inputs are stored relative to its folder). */
  save(record: StoredJob): Promise<void>;
  /** Where the engine writes the job's checkpoints (atomically) and reads them back on a resume. */
  checkpointFile(id: string): string;
  hasCheckpoint(id: string): Promise<boolean>;
  writeResult(id: string, png: Uint8Array): Promise<void>;
  readResult(id: string): Promise<Uint8Array>;
  /** Deletes what only a running job needs (its images and checkpoint); the record and result stay. */
  discardWork(id: string, inputs: EngineJob | undefined): Promise<void>;
  /** Deletes the job's folder. */
  remove(id: string): Promise<void>;
  /** Every readable job, its inputs with absolute paths; unreadable folders are deleted and named in `dropped`. */
  load(): Promise<{ jobs: StoredJob[]; dropped: string[] }>;
}

export async function createJobStore(stateDir: string): Promise<JobStore> {
  const root = path.join(stateDir, 'jobs');
  await mkdir(root, { recursive: true });
  const folder = (id: string) => path.join(root, id);
  const relative = (id: string, inputs: EngineJob) => mapJobImageFiles(inputs, (file) => path.relative(folder(id), file));
  const absolute = (id: string, inputs: EngineJob) => mapJobImageFiles(inputs, (file) => path.resolve(folder(id), file));
  const writeRecord = (record: StoredJob) =>
    writeFileAtomically(path.join(folder(record.id), RECORD), Buffer.from(JSON.stringify({ ...record, inputs: record.inputs && relative(record.id, record.inputs) })));

  return {
    async admit(record, inputs) {
      await mkdir(folder(record.id), { recursive: true });
      const moved = await mapImagesAsync(inputs, async (file) => {
        const target = path.join(folder(record.id), path.basename(file));
        await moveFile(file, target);
        return target;
      });
      await writeRecord({ ...record, inputs: moved });
      return moved;
    },
    save: writeRecord,
    checkpointFile: (id) => path.join(folder(id), CHECKPOINT),
    hasCheckpoint: (id) => stat(path.join(folder(id), CHECKPOINT)).then(() => true, () => false),
    writeResult: (id, png) => writeFileAtomically(path.join(folder(id), RESULT), png),
    readResult: async (id) => new Uint8Array(await readFile(path.join(folder(id), RESULT))),
    async discardWork(id, inputs) {
      const files = [...(inputs ? jobImageFiles(inputs) : []), path.join(folder(id), CHECKPOINT)];
      await Promise.all(files.map((file) => unlink(file).catch(() => {})));
    },
    remove: (id) => rm(folder(id), { recursive: true, force: true }),
    async load() {
      const jobs: StoredJob[] = [];
      const dropped: string[] = [];
      for (const id of await readdir(root)) {
        const record = await readFile(path.join(folder(id), RECORD), 'utf8').then(JSON.parse, () => undefined);
        if (!isStoredJob.Check(record) || record.id !== id) {
          dropped.push(id);
          await rm(folder(id), { recursive: true, force: true });
          continue;
        }
        jobs.push(record.inputs ? { ...record, inputs: absolute(id, record.inputs) } : record);
      }
      return { jobs, dropped };
    },
  };
}

/** Renames within one file system; across two (--spool-dir elsewhere) copies, then deletes the original. */
async function moveFile(from: string, to: string) {
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to);
    await unlink(from);
  }
}

async function mapImagesAsync(job: EngineJob, map: (file: string) => Promise<string>): Promise<EngineJob> {
  const moved = new Map<string, string>();
  for (const file of jobImageFiles(job)) moved.set(file, await map(file));
  return mapJobImageFiles(job, (file) => moved.get(file)!);
}
