import { jsonLiteral } from './jsonLiteral.ts';
import { PRELUDE } from './prelude.ts';

/** Every echo of ours starts with this, so that other strings Photopea sends are told apart. */
export const REPLY_PREFIX = 'pastiche:';

/**
 * A template's body as a complete script for request `id`. It echoes a start marker first (`app.echoToOE`
 * sends any string to the plugin: https://www.photopea.com/api/live), then runs the body with `args`
 * (parsed from a JSON string literal, never spliced in as code), then echoes the body's return value or its
 * error. Photopea answers "done" after the script (same page), which is what the client waits for.
 */
export function wrapScript(id: number, body: string, args: unknown): string {
  if (!Number.isSafeInteger(id)) throw new TypeError(`request id must be an integer, got ${id}`);
  return `(function () {
var __id = ${id};
function __send(o) { app.echoToOE(${JSON.stringify(REPLY_PREFIX)} + JSON.stringify(o)); }
__send({ id: __id, start: true });
${PRELUDE}
try {
  var __value = (function (args) {
${body}
  })(JSON.parse(${jsonLiteral(args)}));
  __send({ id: __id, ok: true, value: __value === undefined ? null : __value });
} catch (e) {
  __send({ id: __id, ok: false, error: { code: e && e.code ? String(e.code) : "script-error", message: String(e && e.message ? e.message : e) } });
}
})();`;
}
