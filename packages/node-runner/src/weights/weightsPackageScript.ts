// npm run weights-package -- --vgg16 FILE --vgg19 FILE --out DIR
// FILE: a Keras *_notop.h5 file, or a TensorFlow.js layers model (model.json or its folder).
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeConvWeights, readModelFiles, type ConvWeightsByLayer, type VggModelName, type WeightsSource } from '@pastiche/core';
import { layersModelFolderSource } from './layersModelFolderSource.ts';
import { readKerasH5Weights } from './readKerasH5Weights.ts';
import { writeWeightsPackage } from './writeWeightsPackage.ts';

async function readSource(file: string): Promise<WeightsSource> {
  if (file.endsWith('.h5')) return readKerasH5Weights(file);
  const modelJson = (await stat(file)).isDirectory() ? path.join(file, 'model.json') : file;
  return (await layersModelFolderSource(modelJson)).source;
}

const { values } = parseArgs({ options: { vgg16: { type: 'string' }, vgg19: { type: 'string' }, out: { type: 'string' } } });
if (!values.out || (!values.vgg16 && !values.vgg19)) {
  console.error('usage: npm run weights-package -- [--vgg16 FILE] [--vgg19 FILE] --out DIR');
  process.exit(2);
}
const models: Partial<Record<VggModelName, ConvWeightsByLayer>> = {};
if (values.vgg16) models.vgg16 = decodeConvWeights(await readModelFiles(await readSource(values.vgg16)));
if (values.vgg19) models.vgg19 = decodeConvWeights(await readModelFiles(await readSource(values.vgg19)));
const sizes = await writeWeightsPackage(models, values.out);
for (const [file, size] of Object.entries(sizes)) console.log(`${file}\t${size}`);
console.log(`wrote ${values.out}: ${Object.values(sizes).reduce((a, b) => a + b, 0)} bytes`);
