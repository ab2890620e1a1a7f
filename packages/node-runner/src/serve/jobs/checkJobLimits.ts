import type { ResolvedOptions } from '@pastiche/core';
import { limitExceeded } from '../../errors/HttpError.ts';
import type { Caller } from '../../queue/Caller.ts';

export interface JobLimits {
  maxSide: number;
  /** The largest side a user token may ask for (an operator's: maxSide). */
  userMaxSide: number;
  maxStyles: number;
  maxEvaluations: number;
}

/** Refuses (422, naming the limit and its value) a job bigger than this runner allows `caller`, before it is queued. */
export function checkJobLimits(styleCount: number, options: ResolvedOptions, limits: JobLimits, caller: Caller): void {
  if (styleCount > limits.maxStyles) {
    throw limitExceeded('styles', 'maxStyles', limits.maxStyles, `${styleCount} style images, more than ${limits.maxStyles}`);
  }
  const [sideLimit, side, whose] =
    caller.operator || limits.userMaxSide >= limits.maxSide ? ['maxSide', limits.maxSide, ''] : ['userMaxSide', limits.userMaxSide, ' the most a user may ask for,'];
  if (options.size > side) {
    throw limitExceeded('options.size', sideLimit, side, `a ${options.size} px result is larger than${whose} ${side} px`);
  }
  const styleSide = Math.ceil(options.size * options.styleScale);
  if (styleSide > side) {
    throw limitExceeded('options.styleScale', sideLimit, side, `styles at ${options.styleScale} × ${options.size} px = ${styleSide} px are larger than${whose} ${side} px`);
  }
  const evaluations = options.evaluations.reduce((a, b) => a + b, 0);
  if (evaluations > limits.maxEvaluations) {
    throw limitExceeded('options.evaluations', 'maxEvaluations', limits.maxEvaluations, `${evaluations} evaluations in all, more than ${limits.maxEvaluations}`);
  }
}
