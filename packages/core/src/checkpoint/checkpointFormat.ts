import { CheckpointError } from './CheckpointError.ts';
import { crc32 } from './crc32.ts';
import type { StylizeCheckpoint } from './StylizeCheckpoint.ts';

/**
 * The checkpoint file, version 1, little-endian:
 *   0   8 bytes  MAGIC
 *   8   u32      format version
 *   12  u32      header length H (bytes of UTF-8 JSON)
 *   16  f64      the file's length, these 24 bytes and the checksum included
 *   24  H bytes  header: { checkpoint, arrays }, padded with spaces to a multiple of 8
 *   …            the float arrays' raw bytes, each at an offset that is a multiple of 8
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

export function encodeCheckpoint(checkpoint: StylizeCheckpoint): Uint8Array {
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
  const roughHeaderBytes = align8(headerOf(Number.MAX_SAFE_INTEGER).length);
  const dataStart = PREFIX_BYTES + roughHeaderBytes;
  const header = headerOf(dataStart);
  const layout = entries(dataStart);
  const dataEnd = layout.length ? layout[layout.length - 1].offset + arrays[arrays.length - 1].byteLength : dataStart;
  const total = dataEnd + CHECKSUM_BYTES;

  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(total);
  } catch {
    throw new CheckpointError('too-large', `a checkpoint of ${total} bytes is more than this platform can hold in one buffer`);
  }
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC, 0);
  view.setUint32(8, CHECKPOINT_FORMAT_VERSION, true);
  view.setUint32(12, roughHeaderBytes, true);
  view.setFloat64(16, total, true);
  bytes.fill(0x20, PREFIX_BYTES, dataStart);
  bytes.set(header, PREFIX_BYTES);
  arrays.forEach((a, i) => bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), layout[i].offset));
  view.setUint32(dataEnd, crc32(bytes.subarray(0, dataEnd)), true);
  return bytes;
}

/**
 * Reads a checkpoint; throws a CheckpointError saying what is wrong when it is not one, is cut short, damaged or of
 * another format version. Its arrays may be views into `bytes`: the caller gives the bytes up.
 */
export function decodeCheckpoint(bytes: Uint8Array): StylizeCheckpoint {
  const prefix = bytes.subarray(0, MAGIC.length);
  if (prefix.some((b, i) => b !== MAGIC[i])) throw new CheckpointError('not-a-checkpoint', 'not a Pastiche checkpoint (its first bytes are not the checkpoint signature)');
  if (bytes.length < PREFIX_BYTES) throw new CheckpointError('truncated', `checkpoint truncated: ${bytes.length} bytes, shorter than its fixed header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== CHECKPOINT_FORMAT_VERSION) {
    throw new CheckpointError('version', `checkpoint written in format version ${version}; this Pastiche reads version ${CHECKPOINT_FORMAT_VERSION} only`);
  }
  const headerBytes = view.getUint32(12, true);
  const total = view.getFloat64(16, true);
  if (!Number.isSafeInteger(total) || total < PREFIX_BYTES + headerBytes + CHECKSUM_BYTES) throw new CheckpointError('corrupt', 'checkpoint corrupt: its length field is impossible');
  if (bytes.length < total) throw new CheckpointError('truncated', `checkpoint truncated: ${bytes.length} of its ${total} bytes are there`);
  if (bytes.length > total) throw new CheckpointError('corrupt', `checkpoint corrupt: ${bytes.length - total} bytes more than its ${total}`);
  const dataEnd = total - CHECKSUM_BYTES;
  if (crc32(bytes.subarray(0, dataEnd)) !== view.getUint32(dataEnd, true)) throw new CheckpointError('corrupt', 'checkpoint corrupt: its checksum does not match its contents');

  // The checksum matched: what follows fails only on a file written by something other than encodeCheckpoint.
  let parsed: { checkpoint: StylizeCheckpoint; arrays: ArrayEntry[] };
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes)));
  } catch {
    throw new CheckpointError('corrupt', 'checkpoint corrupt: its header is not JSON');
  }
  const decodedArrays = new Map<unknown, FloatArray>();
  const arrayAt = (i: unknown): FloatArray => {
    if (decodedArrays.has(i)) return decodedArrays.get(i)!; // one array referred to twice is one array again
    const entry = parsed.arrays?.[i as number];
    const Type = entry?.type === 'float32' ? Float32Array : entry?.type === 'float64' ? Float64Array : undefined;
    if (!Type || !(entry.offset % 8 === 0 && entry.offset + entry.length * Type.BYTES_PER_ELEMENT <= dataEnd)) throw new CheckpointError('corrupt', `checkpoint corrupt: array ${String(i)} is not where its header says`);
    // A view into `bytes` where it is aligned (a file read whole is: at 4096 px this saves gigabytes), else a copy.
    const start = bytes.byteOffset + entry.offset;
    const array =
      start % Type.BYTES_PER_ELEMENT === 0
        ? new Type(bytes.buffer as ArrayBuffer, start, entry.length)
        : new Type(new Uint8Array(bytes.subarray(entry.offset, entry.offset + entry.length * Type.BYTES_PER_ELEMENT)).buffer);
    decodedArrays.set(i, array);
    return array;
  };
  const checkpoint = revive(parsed.checkpoint, arrayAt) as StylizeCheckpoint;
  for (const field of ['identity', 'plan', 'position', 'finishedScales'] as const) {
    if (typeof checkpoint?.[field] !== 'object' || checkpoint[field] === null) throw new CheckpointError('corrupt', `checkpoint corrupt: it has no ${field}`);
  }
  return checkpoint;
}

/** The header's tree with {"$array"} and {"$number"} turned back into what they stand for. */
function revive(value: unknown, arrayAt: (i: unknown) => FloatArray): unknown {
  if (Array.isArray(value)) return value.map((v) => revive(v, arrayAt));
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === '$array') return arrayAt((value as { $array: unknown }).$array);
  if (keys.length === 1 && keys[0] === '$number') return Number((value as { $number: string }).$number);
  return Object.fromEntries(keys.map((k) => [k, revive((value as Record<string, unknown>)[k], arrayAt)]));
}
