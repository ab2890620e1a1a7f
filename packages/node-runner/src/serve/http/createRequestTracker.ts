/**
 * Counts HTTP requests being handled, so that a running job can give way to them. The engine computes on
 * the main thread and yields only between evaluations; a request that needs several event-loop turns (a
 * submission: body, image checks on the thread pool) would otherwise advance one turn per evaluation and
 * take many evaluations to answer. Event streams are not counted (they stay open for the whole job), nor a
 * request that itself waits for a job (a cancel): it calls `end` before waiting.
 */
export interface RequestTracker {
  begin(request: object): void;
  /** Idempotent; called when the response closes, or earlier by a handler about to wait for a job. */
  end(request: object): void;
  /** Resolves on the next event-loop turn once no request is being handled, or after `maxWaitMs`. */
  quiet(maxWaitMs: number): Promise<void>;
}

export function createRequestTracker(): RequestTracker {
  const active = new WeakSet<object>();
  let count = 0;
  let waiters: Array<() => void> = [];
  return {
    begin(request) {
      if (active.has(request)) return;
      active.add(request);
      count++;
    },
    end(request) {
      if (!active.delete(request)) return;
      if (--count > 0) return;
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve();
    },
    async quiet(maxWaitMs) {
      await new Promise((resolve) => setImmediate(resolve)); // always let pending I/O in
      if (count === 0) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxWaitMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
