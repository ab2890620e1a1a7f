import { chooseEngine } from '../chooseEngine.ts';
import { estimateRunMemory } from '../settings/estimateRunMemory.ts';
import type { HostWords } from './HostWords.ts';
import type { EngineSectionState } from './mountEngine.ts';

/**
 * Why Stylize cannot start for memory: the run would paint in the page, and the page's memory cannot hold
 * it even in tiles. Undefined when it fits or goes to the runner. The Quality section offers the largest size
 * that fits.
 */
export function findMemoryProblem(state: Pick<EngineSectionState, 'settings' | 'runner'>, words: HostWords): string | undefined {
  const estimate = estimateRunMemory(state.settings);
  if (estimate.fits !== false) return undefined;
  const { kind } = chooseEngine({ outputSide: estimate.size, runner: state.runner, preference: state.settings.engine });
  return kind === 'in-page' ? `Too large for ${words.here}: up to ${estimate.largestSize} px fits, or paint on the runner.` : undefined;
}
