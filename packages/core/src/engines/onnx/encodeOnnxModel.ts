/**
 * Writes an ONNX ModelProto (onnx.proto3) in protobuf's wire format: only the messages and fields a
 * graph of float tensors needs. About a hundred lines instead of a protobuf runtime in every bundle,
 * browser ones included; ONNX Runtime itself is the test that the bytes are right.
 */

export type AttributeValue = number | number[] | string | { int: number } | { ints: number[] };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, AttributeValue>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  /** FLOAT (1) data, or INT64 (7) data for shapes and axes. */
  data: Float32Array | BigInt64Array;
}

/** A graph input or output: float32, each dimension fixed or named (symbolic). */
export interface OnnxValueInfo {
  name: string;
  dims: Array<number | string>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

const IR_VERSION = 8;
export const OPSET = 17;
const FLOAT = 1;
const INT64 = 7;
// AttributeProto.AttributeType
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

export function encodeOnnxModel(graph: OnnxGraph): Uint8Array {
  const model = new ProtoWriter();
  model.varintField(1, IR_VERSION);
  model.stringField(2, 'pastiche');
  model.messageField(7, encodeGraph(graph));
  model.messageField(8, new ProtoWriter().stringField(1, '').varintField(2, OPSET));
  return model.finish();
}

function encodeGraph(graph: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter();
  graph.nodes.forEach((node, i) => w.messageField(1, encodeNode(node, `${node.op}_${i}`)));
  w.stringField(2, graph.name);
  for (const init of graph.initializers) w.messageField(5, encodeTensor(init));
  for (const input of graph.inputs) w.messageField(11, encodeValueInfo(input));
  for (const output of graph.outputs) w.messageField(12, encodeValueInfo(output));
  return w;
}

function encodeNode(node: OnnxNode, name: string): ProtoWriter {
  const w = new ProtoWriter();
  for (const input of node.inputs) w.stringField(1, input);
  for (const output of node.outputs) w.stringField(2, output);
  w.stringField(3, name);
  w.stringField(4, node.op);
  for (const [key, value] of Object.entries(node.attributes ?? {})) w.messageField(5, encodeAttribute(key, value));
  return w;
}

function encodeAttribute(name: string, value: AttributeValue): ProtoWriter {
  const w = new ProtoWriter().stringField(1, name);
  if (typeof value === 'number') return w.floatField(2, value).varintField(20, ATTR_FLOAT);
  if (typeof value === 'string') return w.bytesField(4, new TextEncoder().encode(value)).varintField(20, ATTR_STRING);
  if (Array.isArray(value)) {
    for (const v of value) w.floatField(7, v);
    return w.varintField(20, ATTR_FLOATS);
  }
  if ('int' in value) return w.varintField(3, value.int).varintField(20, ATTR_INT);
  for (const v of value.ints) w.varintField(8, v);
  return w.varintField(20, ATTR_INTS);
}

function encodeTensor({ name, dims, data }: OnnxInitializer): ProtoWriter {
  const w = new ProtoWriter();
  for (const d of dims) w.varintField(1, d);
  w.varintField(2, data instanceof Float32Array ? FLOAT : INT64);
  w.stringField(8, name);
  // raw_data is little-endian, as typed arrays are on every platform ONNX Runtime ships for.
  w.bytesField(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  return w;
}

function encodeValueInfo({ name, dims }: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.messageField(1, typeof d === 'number' ? new ProtoWriter().varintField(1, d) : new ProtoWriter().stringField(2, d));
  const tensorType = new ProtoWriter().varintField(1, FLOAT).messageField(2, shape);
  return new ProtoWriter().stringField(1, name).messageField(2, new ProtoWriter().messageField(1, tensorType));
}

/** Protobuf's wire format: varints, little-endian floats and length-delimited fields. */
class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  varintField(field: number, value: number): this {
    return this.tag(field, 0).varint(value);
  }

  floatField(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    return this.tag(field, 5).push(bytes);
  }

  stringField(field: number, value: string): this {
    return this.bytesField(field, new TextEncoder().encode(value));
  }

  bytesField(field: number, bytes: Uint8Array): this {
    return this.tag(field, 2).varint(bytes.length).push(bytes);
  }

  messageField(field: number, message: ProtoWriter): this {
    this.tag(field, 2).varint(message.length);
    for (const chunk of message.chunks) this.push(chunk);
    return this;
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): this {
    return this.varint(field * 8 + wireType);
  }

  /** Non-negative integers up to 2^53 (sizes, enums, dims). */
  private varint(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`protobuf varint: ${value} is not a non-negative safe integer`);
    const bytes: number[] = [];
    let v = value;
    while (v >= 0x80) {
      bytes.push((v % 0x80) | 0x80);
      v = Math.floor(v / 0x80);
    }
    bytes.push(v);
    return this.push(Uint8Array.from(bytes));
  }

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }
}
