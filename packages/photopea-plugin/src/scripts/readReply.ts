import type { Bounds, LayerPath, LayerRef } from '../document/types.ts';

/** A reply part that does not have the expected shape; the client turns it into a PhotopeaReplyError. */
export class ReplyShapeError extends Error {
  override name = 'ReplyShapeError';
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field}: expected ${expected}`);
  }
}

const fail = (field: string, expected: string): never => {
  throw new ReplyShapeError(field, expected);
};

export function readObject(value: unknown, field: string): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : fail(field, 'an object');
}

export function readNumber(value: unknown, field: string): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fail(field, 'a number');
}

export function readString(value: unknown, field: string): string {
  return typeof value === 'string' ? value : fail(field, 'a string');
}

export function readBoolean(value: unknown, field: string): boolean {
  return typeof value === 'boolean' ? value : fail(field, 'true or false');
}

export function readArray(value: unknown, field: string): unknown[] {
  return Array.isArray(value) ? value : fail(field, 'a list');
}

export function readBounds(value: unknown, field: string): Bounds {
  const list = readArray(value, field);
  if (list.length !== 4) fail(field, 'four numbers');
  return list.map((n, i) => readNumber(n, `${field}[${i}]`)) as Bounds;
}

export function readPath(value: unknown, field: string): LayerPath {
  return readArray(value, field).map((n, i) => (Number.isInteger(n) && (n as number) >= 0 ? (n as number) : fail(`${field}[${i}]`, 'an index ≥ 0')));
}

export function readRef(value: unknown, field: string): LayerRef {
  const ref = readObject(value, field);
  return { path: readPath(ref.path, `${field}.path`), name: readString(ref.name, `${field}.name`) };
}
