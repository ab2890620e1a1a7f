import type { StylizeProgress } from '@pastiche/core';
import { formatDuration, formatLoss } from './formatting.ts';

export interface ProgressReporter {
  progress(p: StylizeProgress): void;
  /** A message between progress updates (keeps a terminal bar intact). */
  message(text: string): void;
  /** What the progress is of, written before it: a batch's "2 of 5 photo.jpg"; '' for none. */
  label(text: string): void;
  done(): void;
}

/**
 * On a terminal, one bar rewritten in place; elsewhere (logs, CI, pipes) a plain line every
 * `lineEvery` evaluations and at the end of each scale.
 */
export function createProgressReporter(stream: NodeJS.WriteStream, options: { quiet?: boolean; lineEvery?: number } = {}): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  const lineEvery = options.lineEvery ?? 10;
  let barShown = false;
  let prefix = '';

  const describe = (p: StylizeProgress) => {
    const scale = p.scales > 1 ? `scale ${p.scale + 1}/${p.scales} ` : '';
    const l = p.loss;
    return (
      `${prefix}${scale}${p.width}×${p.height} eval ${p.evaluation}/${p.evaluations} ` +
      `loss ${formatLoss(l.total)} (content ${formatLoss(l.content)}, style ${formatLoss(l.style)}, tv ${formatLoss(l.tv)}) ` +
      `${formatDuration(p.elapsedMs)}, ETA ${formatDuration(p.etaMs)}`
    );
  };
  const clearBar = () => {
    if (barShown) stream.write('\r\x1b[2K');
    barShown = false;
  };

  return {
    progress(p) {
      if (options.quiet) return;
      if (tty) {
        const width = 20;
        const filled = Math.round((p.totalEvaluation / p.totalEvaluations) * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
        const line = `${bar} ${describe(p)}`;
        stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
        barShown = true;
      } else if (p.evaluation === 1 || p.evaluation % lineEvery === 0 || p.evaluation === p.evaluations) {
        stream.write(`${describe(p)}\n`);
      }
    },
    message(text) {
      clearBar();
      stream.write(`${text}\n`);
    },
    label(text) {
      prefix = text ? `${text}: ` : '';
    },
    done() {
      if (barShown) stream.write('\n');
      barShown = false;
    },
  };
}
