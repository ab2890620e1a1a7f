export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** TensorFlow.js's quantized storage: float16 halves the download; values are float32 again once read. */
  quantization?: { dtype: 'float16' };
}

export interface WeightsManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

/** A TensorFlow.js layers-format model.json (only what Pastiche reads of it). */
export interface LayersModelJson {
  format?: string;
  modelTopology: unknown;
  weightsManifest: WeightsManifestGroup[];
  /** The sha256 of each shard (Pastiche's weights package writes it), checked by readers that fetch them. */
  integrity?: Integrity;
}

/** File name (as written in model.json, 'model.json' itself included) → expected sha256, hex. */
export type Integrity = Record<string, string>;

/** Where a layers-format model comes from. */
export type WeightsSource =
  | { kind: 'url'; url: string; integrity?: Integrity; fetch?: typeof fetch }
  | { kind: 'reader'; read(path: string): Promise<Uint8Array>; integrity?: Integrity }
  | { kind: 'memory'; modelJson: LayersModelJson; weightData: ArrayBuffer };

export interface LoadProgress {
  file: string;
  filesDone: number;
  filesTotal: number;
}

/** One 3×3 convolution's weights, as plain arrays so that no tensor exists before a backend is chosen. */
export interface ConvWeights {
  kernel: Float32Array; // HWIO
  kernelShape: [number, number, number, number];
  bias: Float32Array;
}

/** Conv layer name (Keras naming) → its weights. */
export type ConvWeightsByLayer = Map<string, ConvWeights>;

export type MemoryWeightsSource = Extract<WeightsSource, { kind: 'memory' }>;
export type ReaderWeightsSource = Extract<WeightsSource, { kind: 'reader' }>;
