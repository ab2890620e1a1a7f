// A batch of 4 contents at 256 px (`pastiche stylize --content … ×4 --out-dir`) against the same 4 contents as
// 4 separate `pastiche stylize` runs, side by side in one run: wall and CPU seconds of each (the CLI's own
// processes, through /usr/bin/time), and the style-target counts the batch reports. Real blocks 1–3 weights,
// onnx-cpu, The Starry Night, the auto schedule (128 then 256 px). docs/batches.md quotes it.
//
//   node --import tsx bench/batchTargets.ts
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BLOCK3_STYLE_LAYERS, CONTENT_LAYERS, IMAGES_DIR, REAL_WEIGHTS_DIR, REPO_DIR } from './common.ts';

const CLI = path.join(REPO_DIR, 'packages/node-runner/dist/pastiche.js');
const CONTENTS = ['tubingen.jpg', 'chelsea.png', 'coffee.png', 'shipwreck.jpg'].map((name) => path.join(IMAGES_DIR, name));
const COMMON = ['--style', path.join(IMAGES_DIR, 'starry_night.jpg'), '--size', '256', '--seed', '1', '--backend', 'onnx-cpu', '--weights', REAL_WEIGHTS_DIR, '--quiet',
  '--style-layers', BLOCK3_STYLE_LAYERS.join(','), '--content-layers', CONTENT_LAYERS.join(',')];

/** Runs the CLI under /usr/bin/time: wall, user + system seconds, and what it printed. */
async function timed(args: string[], dir: string, name: string): Promise<{ wall: number; cpu: number; stderr: string }> {
  const times = path.join(dir, `time-${name}.txt`);
  const run = spawnSync('/usr/bin/time', ['-f', '%e %U %S', '-o', times, process.execPath, CLI, 'stylize', ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pastiche stylize failed: ${run.stderr}`);
  const [wall, user, system] = (await readFile(times, 'utf8')).trim().split(/\s+/).slice(-3).map(Number);
  return { wall, cpu: user + system, stderr: run.stderr };
}

const load = () => os.loadavg().map((l) => l.toFixed(1)).join(' / ');
const dir = await mkdtemp(path.join(os.tmpdir(), 'pastiche-batch-bench-'));
console.log(`load before: ${load()}`);
const separate = { wall: 0, cpu: 0 };
for (const [i, content] of CONTENTS.entries()) {
  const one = await timed([...COMMON, '--content', content, '--out', path.join(dir, `separate-${i}.png`)], dir, `separate-${i}`);
  separate.wall += one.wall;
  separate.cpu += one.cpu;
  console.log(`separate run ${i + 1} (${path.basename(content)}): ${one.wall.toFixed(1)} s wall, ${one.cpu.toFixed(1)} s CPU (load ${load()})`);
}
const batch = await timed([...COMMON, ...CONTENTS.flatMap((c) => ['--content', c]), '--out-dir', path.join(dir, 'batch')], dir, 'batch');
console.log(`batch of 4: ${batch.wall.toFixed(1)} s wall, ${batch.cpu.toFixed(1)} s CPU (load ${load()}); ${/style targets .*/.exec(batch.stderr)?.[0]}`);
// The batch's results are the separate runs' (the targets reused are the targets): compared byte for byte.
const same = await Promise.all(CONTENTS.map(async (c, i) => (await readFile(path.join(dir, `separate-${i}.png`))).equals(await readFile(path.join(dir, 'batch', `${path.parse(c).name}.png`)))));
console.log(`| | wall s | CPU s |\n|---|---:|---:|\n| 4 separate runs | ${separate.wall.toFixed(1)} | ${separate.cpu.toFixed(1)} |\n| one batch of 4 | ${batch.wall.toFixed(1)} | ${batch.cpu.toFixed(1)} |`);
console.log(`saved: ${(separate.wall - batch.wall).toFixed(1)} s wall (${(100 * (1 - batch.wall / separate.wall)).toFixed(0)} %), ${(separate.cpu - batch.cpu).toFixed(1)} s CPU (${(100 * (1 - batch.cpu / separate.cpu)).toFixed(0)} %); results identical: ${same.join(', ')}`);
console.log(`load after: ${load()}; results in ${dir}`);
