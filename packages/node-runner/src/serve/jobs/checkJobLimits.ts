import type { ResolvedOptions } from '@pastiche/core';
import { limitExceeded } from '../http/HttpError.ts';

export interface JobLimits {
  maxSide: number;
  maxStyles: number;
  maxEvaluations: number;
}

/** Refuses (422, naming the limit and its value) a job bigger than this runner allows, before it is queued. */
export function checkJobLimits(styleCount: number, options: ResolvedOptions, limits: JobLimits): void {
  if (styleCount > limits.maxStyles) {
    throw limitExceeded('styles', 'maxStyles', limits.maxStyles, `${styleCount} style images, more than ${limits.maxStyles}`);
  }
  if (options.size > limits.maxSide) {
    throw limitExceeded('options.size', 'maxSide', limits.maxSide, `a ${options.size} px result is larger than ${limits.maxSide} px`);
  }
  const styleSide = Math.ceil(options.size * options.styleScale);
  if (styleSide > limits.maxSide) {
    throw limitExceeded('options.styleScale', 'maxSide', limits.maxSide, `styles at ${options.styleScale} × ${options.size} px = ${styleSide} px are larger than ${limits.maxSide} px`);
  }
  const evaluations = options.evaluations.reduce((a, b) => a + b, 0);
  if (evaluations > limits.maxEvaluations) {
    throw limitExceeded('options.evaluations', 'maxEvaluations', limits.maxEvaluations, `${evaluations} evaluations in all, more than ${limits.maxEvaluations}`);
  }
}
