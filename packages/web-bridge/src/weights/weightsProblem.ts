/**
 * Why a weights source could not be read, in terms a panel can act on. A 404 is not a network problem: the
 * files are not at that address (the package not published there yet, or a mistyped URL), and advice to check
 * the connection would send the user the wrong way.
 */
export type WeightsProblem =
  | { kind: 'not-found'; url: string }
  | { kind: 'http-error'; url: string; status: number }
  /** No answer at all: offline, a wrong host, or a firewall. */
  | { kind: 'unreachable'; url: string }
  /** The host answers, but not to this page's origin (no CORS headers for it). */
  | { kind: 'blocked'; url: string }
  | { kind: 'corrupt'; url: string; detail: string };

/** A weights request's failure, carrying what it was so that the panels can explain it. */
export class WeightsFetchError extends Error {
  override name = 'WeightsFetchError';
  constructor(readonly problem: WeightsProblem, message: string) {
    super(message);
  }
}

/** The problem an HTTP status stands for (404 and 410: nothing there). */
export function problemOfStatus(url: string, status: number): WeightsProblem {
  return status === 404 || status === 410 ? { kind: 'not-found', url } : { kind: 'http-error', url, status };
}
