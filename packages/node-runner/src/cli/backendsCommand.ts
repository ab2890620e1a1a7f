import os from 'node:os';
import { BACKEND_NAMES, describeLoadError, loadBackend, selectBackend } from '../backend/selectBackend.ts';
import { largestSideForBuffer } from '../backend/largestSide.ts';
import { CliError } from './CliError.ts';
import { formatBytes } from './formatting.ts';

export const BACKENDS_HELP = `Usage: pastiche backends [--json]

Lists every engine: whether it loads here (and why not), the device it runs on, its memory limit, and
the largest side it can paint in one piece. The one marked * is what --backend auto picks.`;

interface BackendRow {
  name: string;
  loads: boolean;
  auto: boolean;
  reason?: string;
  device?: string;
  memory?: string;
  largestSide?: string;
}

export async function backendsCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${BACKENDS_HELP}\n`);
    return;
  }
  const json = argv.includes('--json');
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length) throw new CliError(`backends: unknown option ${unknown[0]}\n${BACKENDS_HELP}`, 2);
  const auto = await selectBackend('auto').then((c) => c.name, () => undefined);
  const rows: BackendRow[] = [];
  for (const name of BACKEND_NAMES) {
    try {
      const loaded = await loadBackend(name, true);
      const memory = loaded.maxTensorBytes
        ? `${formatBytes(loaded.maxTensorBytes)} per buffer`
        : name === 'wasm'
          ? '4 GiB wasm heap'
          : `${formatBytes(os.totalmem())} system memory`;
      rows.push({
        name,
        loads: true,
        auto: name === auto,
        reason: loaded.software ? 'software adapter: auto does not pick it' : undefined,
        device: loaded.device,
        memory,
        largestSide: loaded.maxTensorBytes ? `${largestSideForBuffer(loaded.maxTensorBytes)} px` : 'bounded by memory',
      });
    } catch (error) {
      rows.push({ name, loads: false, auto: false, reason: describeLoadError(error) });
    }
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  const lines = rows.map((r) =>
    r.loads
      ? `${r.auto ? '*' : ' '} ${r.name.padEnd(12)} ${r.device}; ${r.memory}; largest side ${r.largestSide}${r.reason ? ` (${r.reason})` : ''}`
      : `  ${r.name.padEnd(12)} does not load: ${r.reason}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}
