/** Cancelling rejects with an AbortError (a DOMException from the engines, or the signal's reason). */
export function isAbortError(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}
