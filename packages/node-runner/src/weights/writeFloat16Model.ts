import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConvWeightsByLayer, Integrity, LayersModelJson, WeightsManifestGroup } from '@pastiche/core';
import { buildVggLayersTopology, type VggLayer } from './buildVggLayersTopology.ts';
import { float32ToFloat16 } from './float32ToFloat16.ts';

/**
 * Writes a VGG feature extractor as a TensorFlow.js layers model for browsers: one float16 file per conv
 * layer (`<layer>.bin`: kernel then bias), so a reader can stop at the deepest layer it needs and no file
 * nears a CDN's size limit, and the sha256 of each file in model.json's `integrity`. Returns the files' sizes.
 */
export async function writeFloat16Model(layers: ConvWeightsByLayer, modelName: string, outDir: string): Promise<Record<string, number>> {
  await mkdir(outDir, { recursive: true });
  const topology: VggLayer[] = [];
  const weightsManifest: WeightsManifestGroup[] = [];
  const integrity: Integrity = {};
  const sizes: Record<string, number> = {};
  let block: string | undefined;
  for (const [name, { kernel, kernelShape, bias }] of layers) {
    const layerBlock = name.split('_')[0];
    if (block && layerBlock !== block) topology.push({ kind: 'pool', name: `${block}_pool` });
    block = layerBlock;
    topology.push({ kind: 'conv', name, filters: kernelShape[3] });
    const file = `${name}.bin`;
    const bytes = Buffer.concat([float32ToFloat16(kernel), float32ToFloat16(bias)].map((h) => Buffer.from(h.buffer, h.byteOffset, h.byteLength)));
    await writeFile(path.join(outDir, file), bytes);
    integrity[file] = createHash('sha256').update(bytes).digest('hex');
    sizes[file] = bytes.byteLength;
    weightsManifest.push({
      paths: [file],
      weights: [
        { name: `${name}/kernel`, shape: [...kernelShape], dtype: 'float32', quantization: { dtype: 'float16' } },
        { name: `${name}/bias`, shape: [bias.length], dtype: 'float32', quantization: { dtype: 'float16' } },
      ],
    });
  }
  if (block) topology.push({ kind: 'pool', name: `${block}_pool` });
  const modelJson: LayersModelJson & { format: string; generatedBy: string } = {
    format: 'layers-model',
    generatedBy: 'pastiche weights-package',
    modelTopology: buildVggLayersTopology(modelName, topology),
    weightsManifest,
    integrity,
  };
  const json = `${JSON.stringify(modelJson)}\n`;
  await writeFile(path.join(outDir, 'model.json'), json);
  sizes['model.json'] = Buffer.byteLength(json);
  return sizes;
}
