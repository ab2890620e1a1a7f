import type { Store } from './createStore.ts';
import type { RunState } from './RunState.ts';

/** Which of a batch's contents is painting: the run panel writes "2 of 5" before its progress. */
export interface BatchPosition {
  index: number;
  count: number;
  name: string;
}

/** What a batch needs of a plugin's state: the run (as each Stylize leaves it) and where the batch is. */
export interface BatchState {
  run: RunState;
  batch?: BatchPosition;
}

/**
 * Several contents with the same styles in one click, one result each: `runOne(i)` is one whole Stylize
 * (stylizeInHost) of the i-th content. A content that fails fails alone and the next one starts; a cancel
 * stops the rest and keeps the results already placed (each is its own layer, placed whole). The engine
 * keeps the styles' targets between them (the runner's engine process, or the page's worker), so they are
 * computed once. Ends in done (with the failures as notes), failed (all failed) or cancelled.
 */
export async function stylizeEach<S extends BatchState>(store: Store<S>, names: string[], signal: AbortSignal, runOne: (index: number) => Promise<void>): Promise<void> {
  if (names.length === 1) return runOne(0);
  const placed: string[] = [];
  const failed: string[] = [];
  let engine = '';
  let elapsedMs = 0;
  for (const [index, name] of names.entries()) {
    if (signal.aborted) break;
    store.update({ batch: { index, count: names.length, name } } as Partial<S>);
    await runOne(index);
    const { run } = store.get();
    if (run.phase === 'done') {
      placed.push(...run.names);
      [engine, elapsedMs] = [run.engine, elapsedMs + run.elapsedMs];
    } else if (run.phase === 'failed') failed.push(`${name}: ${run.message}`);
  }
  const kept = placed.length ? `Kept the ${placed.length} finished: ${placed.join(', ')}.` : 'The document is unchanged.';
  const run: RunState =
    signal.aborted ? { phase: 'cancelled', note: kept }
    : placed.length === 0 ? { phase: 'failed', message: `All ${names.length} failed.`, hint: failed.join(' ') }
    : { phase: 'done', names: placed, engine, elapsedMs, notes: [placed.length > 1 ? `${placed.join(', ')}.` : '', ...failed.map((f) => `Failed: ${f}`)].filter(Boolean) };
  store.update({ batch: undefined, run } as Partial<S>);
}
