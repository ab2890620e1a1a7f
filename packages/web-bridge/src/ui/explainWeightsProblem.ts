import { DEFAULT_WEIGHTS_ORIGIN, DEFAULT_WEIGHTS_PACKAGE } from '../weights/defaultWeights.ts';
import type { WeightsProblem } from '../weights/weightsProblem.ts';
import type { HostWords } from './HostWords.ts';

/** The command a user copies to get weights another way: the runner serves its own. */
export const SERVE_COMMAND = 'npx pastiche serve';

/**
 * A weights source's problem as a sentence and what works instead: the runner (which serves the weights
 * it paints with) or another weights URL. Only a source that did not answer gets advice about the
 * connection: a 404 means nothing is at that address.
 */
export function explainWeightsProblem(problem: WeightsProblem, words: HostWords): { message: string; hint: string } {
  const host = new URL(problem.url).host;
  const isDefault = problem.url.startsWith(`${DEFAULT_WEIGHTS_ORIGIN}/npm/${DEFAULT_WEIGHTS_PACKAGE.name}@`);
  const runner = `start the runner (\`${SERVE_COMMAND}\`) and pair ${words.here}: it serves the weights.`;
  // Hints that already point at the weights URL do not offer it a second time.
  const instead = `${runner} Or set a weights URL in Advanced.`;
  switch (problem.kind) {
    case 'not-found':
      return isDefault
        ? { message: `The model weights are not published at ${host} yet (${DEFAULT_WEIGHTS_PACKAGE.name}@${DEFAULT_WEIGHTS_PACKAGE.version}), so ${words.here} cannot paint by itself.`, hint: capitalise(instead) }
        : { message: `There are no model weights at ${problem.url} (HTTP 404).`, hint: `Check the weights URL in Advanced, or ${runner}` };
    case 'http-error':
      return { message: `${host} answered HTTP ${problem.status} when asked for the model weights.`, hint: `Try again later, or ${instead}` };
    case 'unreachable':
      return { message: `${host} did not answer when asked for the model weights.`, hint: `Check the connection to ${host}, or ${instead}` };
    case 'blocked':
      return { message: `${host} answers, but does not let ${words.here} read the model weights (no CORS permission for it).`, hint: `Use a weights URL on a host that allows any origin, or ${runner}` };
    case 'corrupt':
      return { message: `The model weights from ${host} are not usable: ${problem.detail}`, hint: `Try again, or ${instead}` };
  }
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
