import type { VggModelName } from '@pastiche/core';
import type { RunnerClient } from '../runner/types.ts';

/** Where the in-page engine gets its weights: the runner (with its token), a model.json URL, or the first of several that works. */
export type WeightsLocation =
  | { runner: RunnerClient; model?: VggModelName }
  | { url: string; model?: VggModelName; /** For messages; default the URL. */ label?: string }
  | { fallback: WeightsLocation[] };
