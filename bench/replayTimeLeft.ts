// The progress's time left, replayed from a `pastiche stylize` log (default settings; the progress lines every
// 10 evaluations and the last line's total): at each logged evaluation, elapsed + ETA over the actual total, as
// the run printed it and as estimateTimeLeft prices it from the pace since the scale's previous logged line
// (a scale's first evaluation carries its targets: not a pace). Checks an ETA change against a long run
// without running it again (docs/schedule.md, the 4096 px run).
//   node --import tsx bench/replayTimeLeft.ts --log 4096.log [--max-memory 17.7GB]
import { readFileSync } from 'node:fs';
import { planScales, validateOptions } from '@pastiche/core';
import { estimateTimeLeft, evaluationCosts } from '../packages/core/src/plan/estimateScheduleTime.ts';
import { scaleSizes } from '../packages/core/src/plan/scaleSizes.ts';
import { parseArgs } from './common.ts';
import { printTable } from './printTable.ts';

const args = parseArgs(process.argv.slice(2));
const log = readFileSync(String(args.get('log')), 'utf8');
const seconds = (d: string) => d.split(/(?<=[hms])/).reduce((s, part) => s + Number(part.slice(0, -1)) * { h: 3600, m: 60, s: 1 }[part.at(-1) as 'h' | 'm' | 's'], 0);
const lines = [...log.matchAll(/scale (\d+)\/\d+ (\d+)×(\d+) eval (\d+)\/\d+ .* (\S+), ETA (\S+)/g)].map((m) => ({
  scale: Number(m[1]) - 1,
  width: Number(m[2]),
  height: Number(m[3]),
  evaluation: Number(m[4]),
  elapsed: seconds(m[5]),
  eta: seconds(m[6]),
}));
const total = /in (\S+): \d+ evaluations/.exec(log);
if (lines.length === 0 || !total) throw new Error('no progress lines or no last line in the log');
const actual = seconds(total[1]);
const { width, height } = lines.at(-1)!;
const options = validateOptions({ size: Math.max(width, height), maxMemory: String(args.get('max-memory') ?? '17.7GB') });
const plans = planScales(options, scaleSizes(height, width, options.scaleSides));
const costs = evaluationCosts(options, plans);

const rows = lines.flatMap((line, i) => {
  const previous = lines[i - 1];
  if (!previous || previous.scale !== line.scale) return [];
  const pace = (line.elapsed - previous.elapsed) / (line.evaluation - previous.evaluation);
  const left = estimateTimeLeft(costs, options.evaluations, line.scale, line.evaluation, pace);
  return [[`${line.width}×${line.height}`, line.evaluation, (line.elapsed + line.eta) / actual, (line.elapsed + left) / actual]];
});
printTable({ title: `elapsed + time left over the actual ${total[1]}`, columns: ['scale', 'evaluation', 'as printed', 'estimateTimeLeft'], rows });
