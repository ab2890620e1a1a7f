import { float16ToFloat32 } from './float16ToFloat32.ts';
import type { ModelFiles } from './readModelFiles.ts';
import type { ConvWeightsByLayer } from './types.ts';

/**
 * Splits the weight buffer into per-layer kernels and biases. Weights are named `<layer>/kernel` and
 * `<layer>/bias` (Keras naming); anything else in the manifest (e.g. a classifier) is ignored.
 */
export function decodeConvWeights({ modelJson, weightData }: ModelFiles): ConvWeightsByLayer {
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const group of modelJson.weightsManifest) {
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name} has dtype ${spec.dtype}; only float32 is supported`);
      const stored = spec.quantization?.dtype;
      if (stored !== undefined && stored !== 'float16') throw new Error(`weight ${spec.name} is quantized as ${stored}; only float16 is supported`);
      const bytesPerValue = stored === 'float16' ? 2 : 4;
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const end = offset + size * bytesPerValue;
      if (end > weightData.byteLength) {
        throw new Error(`weight data is truncated: ${spec.name} needs bytes up to ${end}, have ${weightData.byteLength}`);
      }
      // Copy: the shards' buffer may not be aligned for every tensor.
      const bytes = weightData.slice(offset, end);
      tensors.set(spec.name, { shape: spec.shape, data: stored === 'float16' ? float16ToFloat32(new Uint16Array(bytes)) : new Float32Array(bytes) });
      offset = end;
    }
  }

  const layers: ConvWeightsByLayer = new Map();
  for (const [name, kernel] of tensors) {
    const match = /^(.*)\/kernel(?::0)?$/.exec(name);
    if (!match) continue;
    const layer = match[1].split('/').pop()!;
    const bias = tensors.get(`${match[1]}/bias`) ?? tensors.get(`${match[1]}/bias:0`);
    if (!bias) throw new Error(`layer ${layer} has a kernel but no bias in the weights`);
    if (kernel.shape.length !== 4) throw new Error(`layer ${layer} kernel has shape [${kernel.shape}], expected 4-D HWIO`);
    layers.set(layer, {
      kernel: kernel.data,
      kernelShape: kernel.shape as [number, number, number, number],
      bias: bias.data,
    });
  }
  return layers;
}
