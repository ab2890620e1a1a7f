import { REPLY_PREFIX } from '../scripts/wrapScript.ts';

export type IncomingMessage =
  | { kind: 'done' }
  | { kind: 'buffer'; buffer: ArrayBuffer }
  | { kind: 'start'; id: number }
  | { kind: 'answer'; id: number; ok: true; value: unknown }
  | { kind: 'answer'; id: number; ok: false; code: string; message: string }
  | { kind: 'other' };

/**
 * What a message from Photopea is: "done" (a script or file finished, https://www.photopea.com/api/live),
 * an ArrayBuffer (saveToOE), one of our scripts' echoes, or something else (other echoes, pings), ignored.
 * ArrayBuffers are recognised by tag: one from another realm fails `instanceof`.
 */
export function classifyMessage(data: unknown): IncomingMessage {
  if (data === 'done') return { kind: 'done' };
  if (Object.prototype.toString.call(data) === '[object ArrayBuffer]') return { kind: 'buffer', buffer: data as ArrayBuffer };
  if (typeof data !== 'string' || !data.startsWith(REPLY_PREFIX)) return { kind: 'other' };
  let echo: { id?: unknown; start?: unknown; ok?: unknown; value?: unknown; error?: { code?: unknown; message?: unknown } };
  try {
    echo = JSON.parse(data.slice(REPLY_PREFIX.length));
  } catch {
    return { kind: 'other' };
  }
  if (typeof echo !== 'object' || echo === null || typeof echo.id !== 'number') return { kind: 'other' };
  if (echo.start === true) return { kind: 'start', id: echo.id };
  if (echo.ok === true) return { kind: 'answer', id: echo.id, ok: true, value: echo.value };
  if (echo.ok === false) {
    const code = typeof echo.error?.code === 'string' ? echo.error.code : 'script-error';
    const message = typeof echo.error?.message === 'string' ? echo.error.message : 'the script failed';
    return { kind: 'answer', id: echo.id, ok: false, code, message };
  }
  return { kind: 'other' };
}
