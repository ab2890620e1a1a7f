import { CheckpointError } from './CheckpointError.ts';
import { crc32 as plainCrc32 } from './crc32.ts';
import type { StylizeCheckpoint } from './StylizeCheckpoint.ts';

/**
 * The checkpoint file, version 1, little-endian:
 *   0   8 bytes  MAGIC
 *   8   u32      format version
 *   12  u32      header length H (bytes of UTF-8 JSON)
 *   16  f64      the file's length, these 24 bytes and the checksum included
 *   24  H bytes  header: { checkpoint, arrays }, padded with spaces to a multiple of 8
 *   …            the float arrays' raw bytes, each at an offset that is a multiple of 8 (zeros between)
 *   end u32      CRC-32 of every byte before it
 * In the header's `checkpoint`, each Float32Array/Float64Array is {"$array": i} (arrays[i] says where its bytes
 * are; one array referred to twice is stored once) and each non-finite number is {"$number": "Infinity"|…}.
 */
export const CHECKPOINT_FORMAT_VERSION = 1;
const MAGIC = new TextEncoder().encode('PSTCHKPT');
const PREFIX_BYTES = 24;
const CHECKSUM_BYTES = 4;

type FloatArray = Float32Array | Float64Array;
interface ArrayEntry {
  type: 'float32' | 'float64';
  offset: number;
  length: number;
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('checkpoints are written little-endian: this platform is big-endian');

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * What a host may give for speed: its own CRC-32 (IEEE, the same checksum; `previous` continues one), e.g. Node's
 * zlib.crc32, several times faster than the plain one here, which is most of a checkpoint's cost.
 */
export interface CheckpointCodecOptions {
  crc32?: (bytes: Uint8Array, previous: number) => number;
}
const bytesOf = (a: FloatArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The checkpoint file as the pieces to write one after the other: the arrays' own bytes (views, not copies: a 4096 px
 * checkpoint is gigabytes) between the header, the padding and the checksum. What writes a file should use this.
 */
export function encodeCheckpointParts(checkpoint: StylizeCheckpoint, { crc32 = plainCrc32 }: CheckpointCodecOptions = {}): Uint8Array[] {
  const arrays: FloatArray[] = [];
  const indexOf = new Map<FloatArray, number>();
  const json = JSON.stringify(checkpoint, (_key, value: unknown) => {
    if (value instanceof Float32Array || value instanceof Float64Array) {
      if (!indexOf.has(value)) indexOf.set(value, arrays.push(value) - 1);
      return { $array: indexOf.get(value) };
    }
    if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
    return value;
  });
  // The header names the arrays' offsets, which depend on the header's length: lay them out after a header
  // sized with room for the offsets' digits, then pad the header to that size.
  const entries = (start: number): ArrayEntry[] => {
    let offset = start;
    return arrays.map((a) => {
      const entry: ArrayEntry = { type: a instanceof Float32Array ? 'float32' : 'float64', offset, length: a.length };
      offset = align8(offset + a.byteLength);
      return entry;
    });
  };
  const headerOf = (start: number) => new TextEncoder().encode(`{"checkpoint":${json},"arrays":${JSON.stringify(entries(start))}}`);
  const headerBytes = align8(headerOf(Number.MAX_SAFE_INTEGER).length);
  const dataStart = PREFIX_BYTES + headerBytes;
  const layout = entries(dataStart);
  const dataEnd = layout.length ? layout[layout.length - 1].offset + arrays[arrays.length - 1].byteLength : dataStart;

  const head = new Uint8Array(dataStart).fill(0x20);
  const view = new DataView(head.buffer);
  head.set(MAGIC, 0);
  view.setUint32(8, CHECKPOINT_FORMAT_VERSION, true);
  view.setUint32(12, headerBytes, true);
  view.setFloat64(16, dataEnd + CHECKSUM_BYTES, true);
  head.set(headerOf(dataStart), PREFIX_BYTES);
  const parts: Uint8Array[] = [head];
  arrays.forEach((a, i) => {
    parts.push(bytesOf(a));
    const end = layout[i].offset + a.byteLength;
    if (i + 1 < arrays.length && layout[i + 1].offset > end) parts.push(new Uint8Array(layout[i + 1].offset - end));
  });
  const checksum = new Uint8Array(CHECKSUM_BYTES);
  new DataView(checksum.buffer).setUint32(0, parts.reduce((crc, part) => crc32(part, crc), 0), true);
  parts.push(checksum);
  return parts;
}

/** The checkpoint as one buffer (encodeCheckpointParts joined). */
export function encodeCheckpoint(checkpoint: StylizeCheckpoint, options?: CheckpointCodecOptions): Uint8Array {
  const parts = encodeCheckpointParts(checkpoint, options);
  const total = parts.reduce((n, p) => n + p.length, 0);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(total);
  } catch {
    throw new CheckpointError('too-large', `a checkpoint of ${total} bytes is more than this platform holds in one buffer: write it with encodeCheckpointParts`);
  }
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

/**
 * Reads a checkpoint; throws a CheckpointError saying what is wrong when it is not one, is cut short, damaged or of
 * another format version. Its arrays may be views into `bytes`: the caller gives the bytes up.
 */
export function decodeCheckpoint(bytes: Uint8Array, { crc32 = plainCrc32 }: CheckpointCodecOptions = {}): StylizeCheckpoint {
  const { headerBytes, total } = readPrefix(bytes.subarray(0, PREFIX_BYTES), bytes.length);
  const dataEnd = total - CHECKSUM_BYTES;
  if (crc32(bytes.subarray(0, dataEnd), 0) !== new DataView(bytes.buffer, bytes.byteOffset + dataEnd, CHECKSUM_BYTES).getUint32(0, true)) throw corrupt('its checksum does not match its contents');
  const { tree, entries } = parseHeader(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes), dataEnd);
  return assemble(
    tree,
    entries.map((entry) => {
      const Type = entry.type === 'float32' ? Float32Array : Float64Array;
      // A view into `bytes` where it is aligned (a file read whole is: at 4096 px this saves gigabytes), else a copy.
      const start = bytes.byteOffset + entry.offset;
      if (start % Type.BYTES_PER_ELEMENT === 0) return new Type(bytes.buffer as ArrayBuffer, start, entry.length);
      return new Type(new Uint8Array(bytes.subarray(entry.offset, entry.offset + entry.length * Type.BYTES_PER_ELEMENT)).buffer);
    }),
  );
}

/** Where readCheckpoint reads from: `length` bytes (a file), read by offset; each read returns a buffer of its own. */
export interface CheckpointSource {
  length: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** decodeCheckpoint for a source read piece by piece, each array into its own buffer: no limit on the checkpoint's size. */
export async function readCheckpoint(source: CheckpointSource, { crc32 = plainCrc32 }: CheckpointCodecOptions = {}): Promise<StylizeCheckpoint> {
  const prefix = await source.read(0, Math.min(PREFIX_BYTES, source.length));
  const { headerBytes, total } = readPrefix(prefix, source.length);
  const header = await source.read(PREFIX_BYTES, headerBytes);
  const dataEnd = total - CHECKSUM_BYTES;
  const { tree, entries } = parseHeader(header, dataEnd);
  let crc = crc32(header, crc32(prefix, 0));
  let at = PREFIX_BYTES + headerBytes;
  const arrays: FloatArray[] = [];
  for (const entry of [...entries].sort((a, b) => a.offset - b.offset)) {
    if (entry.offset < at) throw corrupt('its arrays overlap');
    if (entry.offset > at) crc = crc32(await source.read(at, entry.offset - at), crc);
    const Type = entry.type === 'float32' ? Float32Array : Float64Array;
    const bytes = await source.read(entry.offset, entry.length * Type.BYTES_PER_ELEMENT);
    crc = crc32(bytes, crc);
    arrays[entries.indexOf(entry)] = new Type(bytes.buffer as ArrayBuffer, bytes.byteOffset, entry.length);
    at = entry.offset + bytes.length;
  }
  if (dataEnd > at) crc = crc32(await source.read(at, dataEnd - at), crc);
  const stored = await source.read(dataEnd, CHECKSUM_BYTES);
  if (crc !== new DataView(stored.buffer, stored.byteOffset, CHECKSUM_BYTES).getUint32(0, true)) throw corrupt('its checksum does not match its contents');
  return assemble(tree, arrays);
}

const corrupt = (what: string) => new CheckpointError('corrupt', `checkpoint corrupt: ${what}`);

/** The fixed 24 bytes: signature, version, lengths, checked against the `available` bytes. */
function readPrefix(prefix: Uint8Array, available: number): { headerBytes: number; total: number } {
  if (prefix.subarray(0, MAGIC.length).some((b, i) => b !== MAGIC[i])) throw new CheckpointError('not-a-checkpoint', 'not a Pastiche checkpoint (its first bytes are not the checkpoint signature)');
  if (prefix.length < PREFIX_BYTES) throw new CheckpointError('truncated', `checkpoint truncated: ${available} bytes, shorter than its fixed header`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, PREFIX_BYTES);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError('version', `checkpoint written in format version ${version}; this Pastiche reads version ${CHECKPOINT_FORMAT_VERSION} only`);
  }
  const headerBytes = view.getUint32(12, true);
  const total = view.getFloat64(16, true);
  if (!Number.isSafeInteger(total) || total < PREFIX_BYTES + headerBytes + CHECKSUM_BYTES) throw corrupt('its length field is impossible');
  if (available < total) throw new CheckpointError('truncated', `checkpoint truncated: ${available} of its ${total} bytes are there`);
  if (available > total) throw corrupt(`${available - total} bytes more than its ${total}`);
  return { headerBytes, total };
}

/** The header's JSON: the checkpoint's tree and where its arrays are (within the data, each aligned). */
function parseHeader(header: Uint8Array, dataEnd: number): { tree: unknown; entries: ArrayEntry[] } {
  let parsed: { checkpoint: unknown; arrays: ArrayEntry[] };
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(header));
  } catch {
    throw corrupt('its header is not JSON');
  }
  const entries = Array.isArray(parsed?.arrays) ? parsed.arrays : [];
  entries.forEach((entry, i) => {
    const size = entry?.type === 'float32' ? 4 : entry?.type === 'float64' ? 8 : 0;
    if (!(size && Number.isSafeInteger(entry.offset) && entry.offset % 8 === 0 && Number.isSafeInteger(entry.length) && entry.length >= 0 && entry.offset + entry.length * size <= dataEnd)) {
      throw corrupt(`array ${i} is not where its header says`);
    }
  });
  return { tree: parsed?.checkpoint, entries };
}

/** The header's tree with {"$array"} and {"$number"} turned back into what they stand for; its main parts checked. */
function assemble(tree: unknown, arrays: FloatArray[]): StylizeCheckpoint {
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (typeof value !== 'object' || value === null) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$array') {
      const array = arrays[(value as { $array: number }).$array];
      if (!array) throw corrupt(`it refers to an array ${String((value as { $array: unknown }).$array)} it does not hold`);
      return array; // one array referred to twice is one array again
    }
    if (keys.length === 1 && keys[0] === '$number') return Number((value as { $number: string }).$number);
    return Object.fromEntries(keys.map((k) => [k, revive((value as Record<string, unknown>)[k])]));
  };
  const checkpoint = revive(tree) as StylizeCheckpoint;
  for (const field of ['identity', 'plan', 'position', 'finishedScales'] as const) {
    if (typeof checkpoint?.[field] !== 'object' || checkpoint[field] === null) throw corrupt(`it has no ${field}`);
  }
  return checkpoint;
}
