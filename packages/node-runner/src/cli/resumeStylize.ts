import { CheckpointError, type StylizeCheckpoint } from '@pastiche/core';
import { readCheckpointFile } from '../checkpoint/checkpointFile.ts';
import { CliError } from './CliError.ts';

/** What `pastiche stylize` records in its checkpoints: its arguments and the folder they were given in, which --resume runs again. */
export interface StylizeCheckpointHost {
  command: 'stylize';
  argv: string[];
  cwd: string;
}

/** The flags --resume may come with: the rest are the run's, recorded in the checkpoint. */
export const FLAGS_WITH_RESUME = ['resume', 'quiet'];

/** `--resume FILE`: the checkpoint and the command it records; every problem a one-line usage error naming the file. */
export async function readResume(file: string): Promise<{ checkpoint: StylizeCheckpoint; host: StylizeCheckpointHost }> {
  let checkpoint: StylizeCheckpoint;
  try {
    checkpoint = await readCheckpointFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`--resume: ${file} does not exist`, 2);
    if (error instanceof CheckpointError) throw new CliError(`--resume: ${file}: ${error.message}`, 2);
    throw error;
  }
  const host = checkpoint.host as Partial<StylizeCheckpointHost> | undefined;
  if (host?.command !== 'stylize' || !Array.isArray(host.argv) || !host.argv.every((a) => typeof a === 'string') || typeof host.cwd !== 'string') {
    throw new CliError(`--resume: ${file} is not a checkpoint of pastiche stylize (a runner's jobs resume in the runner)`, 2);
  }
  return { checkpoint, host: host as StylizeCheckpointHost };
}

/** The one line that tells how to continue a stopped run. */
export function resumeHint(file: string): string {
  return `pastiche stylize --resume ${/^[\w./@%+=:,-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`}`;
}
