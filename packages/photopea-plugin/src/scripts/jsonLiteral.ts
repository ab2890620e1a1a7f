/**
 * `value` as a JavaScript string literal of its JSON, for `JSON.parse(…)` inside a script: whatever a layer
 * name or a data URL holds stays data and never becomes code. U+2028 and U+2029 are escaped as well, since
 * engines older than ES2019 end a string literal at them.
 */
export function jsonLiteral(value: unknown): string {
  return JSON.stringify(JSON.stringify(value)).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
