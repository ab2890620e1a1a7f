import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Group as H5Group, Dataset as H5Dataset } from 'h5wasm/node';
import { buildVggLayersTopology, type VggLayer } from './buildVggLayersTopology.ts';
import { hasHdf5Signature } from './hasHdf5Signature.ts';
import type { MemoryWeightsSource, WeightsManifestGroup } from '@pastiche/core';

type H5wasm = typeof import('h5wasm/node').default;

export interface ReadKerasH5WeightsOptions {
  /** Name written into the topology; default: the file name without extension. */
  modelName?: string;
}

/**
 * Reads a Keras weights file (`model.save_weights(...)` / keras-applications
 * `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5`, `vgg19_…_notop.h5`) into an in-memory
 * TensorFlow.js layers-format source: topology with the conv and pool layers in file order, one manifest
 * group per conv layer (`<layer>/kernel` HWIO float32, then `<layer>/bias`), and the weights packed in that order.
 *
 * Layout read (Keras HDF5 weights format): root attribute `layer_names` (possibly chunked as `layer_names0`,
 * `layer_names1`, …; a full-model file keeps it under the `model_weights` group), one group per layer with a
 * `weight_names` attribute, each naming a dataset relative to that group (`block1_conv1_W_1:0` in old files,
 * nested `block1_conv1/kernel:0` in newer ones). Layers without weights become pool layers when named `…pool…`
 * and are skipped otherwise (the input layer, flatten); layers with 2-D kernels (fc1/fc2/predictions of an
 * include_top file) are skipped. Conv kernels must be (3,3,in,out) with `in` chaining from 3, biases (out).
 */
export async function readKerasH5Weights(filePath: string, options: ReadKerasH5WeightsOptions = {}): Promise<MemoryWeightsSource> {
  const file = path.resolve(filePath);
  const what = `Keras weights file ${file}`;
  try {
    if (!(await stat(file)).isFile()) throw new Error(`${what} is not a file.`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${what} does not exist.`);
    throw err;
  }
  if (!(await hasHdf5Signature(file))) {
    throw new Error(`${what} is not an HDF5 file (no HDF5 signature); expected a Keras .h5 weights file such as vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5.`);
  }

  const h5wasm: H5wasm = (await import('h5wasm/node')).default;
  await h5wasm.ready;
  const h5 = new h5wasm.File(file, 'r');
  if (h5.file_id < 0n) throw new Error(`${what} could not be opened by HDF5 (corrupt or truncated?).`);
  try {
    const root = findWeightsRoot(h5wasm, h5);
    const layerNames = readStringListAttribute(root, 'layer_names', what);
    if (layerNames === undefined || layerNames.length === 0) {
      throw new Error(`${what} has no 'layer_names' attribute (at the root or under 'model_weights'): it is HDF5 but not a Keras weights file.`);
    }

    const layers: VggLayer[] = [];
    const manifest: WeightsManifestGroup[] = [];
    const tensors: Float32Array[] = [];
    let channels = 3;
    for (const layerName of layerNames) {
      const group = root.get(layerName);
      if (!(group instanceof h5wasm.Group)) throw new Error(`${what}: layer '${layerName}' is listed in 'layer_names' but its group is missing.`);
      const weightNames = readStringListAttribute(group, 'weight_names', `${what}, layer '${layerName}'`) ?? [];
      if (weightNames.length === 0) {
        if (/pool/i.test(layerName)) layers.push({ kind: 'pool', name: layerName });
        continue;
      }
      if (weightNames.length !== 2) {
        throw new Error(`${what}: layer '${layerName}' has ${weightNames.length} weights (${weightNames.join(', ')}); expected a conv kernel and a bias.`);
      }
      const where = `${what}, layer '${layerName}'`;
      const kernel = findDataset(h5wasm, group, weightNames[0], where);
      const bias = findDataset(h5wasm, group, weightNames[1], where);
      const kernelShape = kernel.shape ?? [];
      const biasShape = bias.shape ?? [];
      if (kernelShape.length === 2) continue; // fc1/fc2/predictions of an include_top file: not part of the feature extractor
      const [kh, kw, cin, cout] = kernelShape;
      if (kernelShape.length !== 4 || kh !== 3 || kw !== 3 || cin !== channels) {
        throw new Error(`${where}: kernel '${weightNames[0]}' has shape [${kernelShape}]; expected [3,3,${channels},out] (HWIO, kernel first).`);
      }
      if (biasShape.length !== 1 || biasShape[0] !== cout) {
        throw new Error(`${where}: bias '${weightNames[1]}' has shape [${biasShape}]; expected [${cout}] (bias second).`);
      }
      channels = cout;
      layers.push({ kind: 'conv', name: layerName, filters: cout });
      manifest.push({
        paths: [`${layerName}.bin`],
        weights: [
          { name: `${layerName}/kernel`, shape: kernelShape, dtype: 'float32' },
          { name: `${layerName}/bias`, shape: biasShape, dtype: 'float32' },
        ],
      });
      tensors.push(readFloat32(kernel, weightNames[0], where), readFloat32(bias, weightNames[1], where));
    }
    if (manifest.length === 0) {
      throw new Error(`${what} lists layers ${layerNames.join(', ')} but none has weights; expected conv layers such as block1_conv1.`);
    }

    const kerasVersion = readStringListAttribute(root, 'keras_version', what)?.[0] ?? readStringListAttribute(h5, 'keras_version', what)?.[0];
    const modelName = options.modelName ?? path.basename(file).replace(/\.[^.]*$/, '');
    return {
      kind: 'memory',
      modelJson: { format: 'layers-model', modelTopology: buildVggLayersTopology(modelName, layers, kerasVersion), weightsManifest: manifest },
      weightData: concatFloat32(tensors),
    };
  } finally {
    h5.close();
  }
}

function findWeightsRoot(h5wasm: H5wasm, h5: H5Group): H5Group {
  if ('layer_names' in h5.attrs || 'layer_names0' in h5.attrs) return h5;
  const nested = h5.get('model_weights');
  return nested instanceof h5wasm.Group ? nested : h5;
}

/** A string-list attribute, joined from Keras' chunks (`name0`, `name1`, …) when stored that way; undefined when absent. */
function readStringListAttribute(obj: H5Group, name: string, where: string): string[] | undefined {
  const attrs = obj.attrs;
  if (name in attrs) return toStringList(attrs[name].value, `${where}: attribute '${name}'`);
  if (!(`${name}0` in attrs)) return undefined;
  const out: string[] = [];
  for (let i = 0; `${name}${i}` in attrs; i++) out.push(...toStringList(attrs[`${name}${i}`].value, `${where}: attribute '${name}${i}'`));
  return out;
}

function toStringList(value: unknown, where: string): string[] {
  const decode = (v: unknown): string => {
    if (typeof v === 'string') return v.replace(/\0+$/, '');
    if (v instanceof Uint8Array) return new TextDecoder().decode(v).replace(/\0+$/, '');
    throw new Error(`${where} holds ${typeof v} values; expected strings.`);
  };
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.map(decode);
  if (ArrayBuffer.isView(value) && !(value instanceof Uint8Array)) {
    if ((value as unknown as ArrayLike<unknown>).length === 0) return []; // h5py writes an empty list as an empty float array
    throw new Error(`${where} holds numbers; expected strings.`);
  }
  return [decode(value)];
}

function findDataset(h5wasm: H5wasm, group: H5Group, name: string, where: string): H5Dataset {
  const dataset = group.get(name);
  if (!(dataset instanceof h5wasm.Dataset)) throw new Error(`${where}: weight '${name}' is listed in 'weight_names' but there is no such dataset.`);
  return dataset;
}

function readFloat32(dataset: H5Dataset, name: string, where: string): Float32Array {
  const values = dataset.value;
  if (values instanceof Float32Array) return values;
  if (values instanceof Float64Array) return Float32Array.from(values);
  throw new Error(`${where}: weight '${name}' has dtype ${JSON.stringify(dataset.dtype)}; expected float32 (or float64).`);
}

function concatFloat32(parts: Float32Array[]): ArrayBuffer {
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), offset);
    offset += p.byteLength;
  }
  return out.buffer;
}
