import { explainEngineError, type RunFailure } from '@pastiche/web-bridge/ui';
import { FIGMA_WORDS } from '../engine/figmaWords.ts';

/** Any error a run can end with, in the plugin's words: the main code's own messages pass through as they are. */
export function explainRunError(error: unknown, context: { size: number; runnerUrl: string; engine?: 'in-page' | 'runner' }): RunFailure {
  const e = error as { name?: string; message?: string };
  if (e?.name === 'MainRequestError') return { phase: 'failed', message: e.message ?? String(error) };
  return explainEngineError(error, context, FIGMA_WORDS);
}
