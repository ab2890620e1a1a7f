import os from 'node:os';
import { listBackends } from '../backend/listBackends.ts';
import { CliError } from './CliError.ts';
import { formatBytes } from './formatting.ts';

export const BACKENDS_HELP = `Usage: pastiche backends [--json]

Lists every engine: whether it loads here (and why not), the device it runs on, its memory limit, and
the largest side it can paint in one piece. The one marked * is what --backend auto picks.`;

export async function backendsCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${BACKENDS_HELP}\n`);
    return;
  }
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length) throw new CliError(`backends: unknown option ${unknown[0]}\n${BACKENDS_HELP}`, 2);
  const listing = await listBackends();
  if (argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(listing, null, 2)}\n`);
    return;
  }
  const lines = listing.map((b) => {
    if (!b.loads) return `  ${b.name.padEnd(12)} does not load: ${b.reason}`;
    const memory = b.maxTensorBytes ? `${formatBytes(b.maxTensorBytes)} per buffer` : b.name === 'wasm' ? '4 GiB wasm heap' : `${formatBytes(os.totalmem())} memory`;
    const side = b.largestSide ? `${b.largestSide} px` : 'bounded by memory';
    return `${b.auto ? '*' : ' '} ${b.name.padEnd(12)} ${b.device}; ${memory}; largest side ${side}${b.reason ? ` (${b.reason})` : ''}`;
  });
  process.stdout.write(`${lines.join('\n')}\n`);
}
