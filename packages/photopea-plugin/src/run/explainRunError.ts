import { explainEngineError, type RunFailure } from '@pastiche/web-bridge/ui';
import { PHOTOPEA_WORDS } from '../ui/photopeaWords.ts';

/** Any error a run can end with, in the panel's words: Photopea's own first, then the engines'. */
export function explainRunError(error: unknown, context: { size: number; runnerUrl: string; engine?: 'in-page' | 'runner' }): RunFailure {
  const e = error as { name?: string; message?: string; code?: string; hint?: string; what?: string };
  const message = e?.message ?? String(error);
  switch (e?.name) {
    case 'RunProblem':
      return { phase: 'failed', message, hint: e.hint };
    case 'PhotopeaTimeoutError':
      return { phase: 'failed', message, hint: /did not answer/.test(message) ? 'Open this panel from Photopea: Window › Plugins, or the embed page.' : 'Try again: a large document takes Photopea longer.' };
    case 'PhotopeaScriptError':
      if (e.code === 'layer-moved') return { phase: 'failed', message, hint: 'The list is refreshed: check the layers and Stylize again.' };
      if (e.code === 'no-document') return { phase: 'failed', message, hint: 'Open an image in Photopea, then Refresh.' };
      if (e.code === 'no-selection') return { phase: 'failed', message, hint: 'Select an area in Photopea, or set the style’s region to Everywhere.' };
      if (e.code === 'document-changed') return { phase: 'failed', message, hint: 'Switch back to that document, or Refresh to use this one.' };
      return { phase: 'failed', message: `Photopea could not ${e.what ?? 'run the script'}: ${message}` };
    case 'PhotopeaReplyError':
    case 'PhotopeaError':
      return { phase: 'failed', message };
  }
  return explainEngineError(error, context, PHOTOPEA_WORDS);
}
