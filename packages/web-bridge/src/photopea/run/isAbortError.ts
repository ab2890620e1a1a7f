/** Cancelling rejects with an AbortError (web-bridge's DOMException, or the signal's reason). */
export function isAbortError(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'AbortError';
}
