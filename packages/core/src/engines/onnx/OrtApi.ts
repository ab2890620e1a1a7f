import type { InferenceSession, Tensor } from 'onnxruntime-common';

/**
 * The part of ONNX Runtime's JavaScript API the engine uses. onnxruntime-node and onnxruntime-web both
 * export it; the host passes whichever it has, so the core imports neither.
 */
export interface OrtApi {
  InferenceSession: { create(model: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
}

export type OrtSessionOptions = InferenceSession.SessionOptions;
export type OrtSession = InferenceSession;
export type OrtTensor = Tensor;
