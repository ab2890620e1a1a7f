import { wrapScript } from './wrapScript.ts';

/** One script, ready to send: what the client needs to run it and to check its answer. */
export interface PhotopeaScript<R> {
  /** In words, for errors: "export a layer". */
  readonly what: string;
  /** ArrayBuffers the script sends (saveToOE) before it answers, when it succeeds. */
  readonly buffers: number;
  readonly timeoutMs: number;
  /** The script's text for request `id`. */
  text(id: number): string;
  /** Checks the echoed value and gives it its type; throws PhotopeaReplyError when it does not fit. */
  read(value: unknown): R;
}

export interface TemplateSpec<R> {
  what: string;
  /** ES5 function body with `args` in scope; its return value is echoed back as JSON. */
  body: string;
  buffers?: number;
  timeoutMs: number;
  read(value: unknown): R;
}

/** A typed template: a function from its arguments to a script whose text embeds them as JSON data. */
export function defineTemplate<A, R>(spec: TemplateSpec<R>): (args: A) => PhotopeaScript<R> {
  return (args: A) => ({
    what: spec.what,
    buffers: spec.buffers ?? 0,
    timeoutMs: spec.timeoutMs,
    read: spec.read,
    text: (id: number) => wrapScript(id, spec.body, args),
  });
}
