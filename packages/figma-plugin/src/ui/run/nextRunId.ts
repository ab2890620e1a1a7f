let lastRunId = 0;

/** A fresh id for a request to the main code, so that its answer is told apart from older ones. */
export function nextRunId(): number {
  return ++lastRunId;
}
