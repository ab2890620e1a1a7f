/** The rejection of a cancelled call, as fetch and the DOM give it: a DOMException named AbortError. */
export function abortError(signal?: AbortSignal): unknown {
  const reason = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('the render was cancelled', 'AbortError');
}
