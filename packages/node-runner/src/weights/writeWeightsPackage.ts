import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConvWeightsByLayer, VggModelName } from '@pastiche/core';
import { DEFAULT_WEIGHTS_PACKAGE } from '@pastiche/web-bridge/weights';
import { writeFloat16Model } from './writeFloat16Model.ts';

const ATTRIBUTION = `The weights are those of K. Simonyan and A. Zisserman, "Very Deep Convolutional Networks for
Large-Scale Image Recognition" (ILSVRC-2014), Visual Geometry Group, University of Oxford
(https://www.robots.ox.ac.uk/~vgg/research/very_deep/), released under the Creative Commons Attribution 4.0
International licence (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/), as converted to Keras
(keras.applications VGG16/VGG19, \`include_top=False\`). Changes: the classifier is left out, and the
convolution weights are stored as float16 in TensorFlow.js layers format.`;

/**
 * The npm package of the weights the browser engines load by default (see DEFAULT_WEIGHTS_PACKAGE): for each
 * model given, `<model>/model.json` and its float16 files, with package.json, the licence and the attribution.
 */
export async function writeWeightsPackage(models: Partial<Record<VggModelName, ConvWeightsByLayer>>, outDir: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const [model, layers] of Object.entries(models) as Array<[VggModelName, ConvWeightsByLayer]>) {
    for (const [file, size] of Object.entries(await writeFloat16Model(layers, model, path.join(outDir, model)))) sizes[`${model}/${file}`] = size;
  }
  const pkg = {
    name: DEFAULT_WEIGHTS_PACKAGE.name,
    version: DEFAULT_WEIGHTS_PACKAGE.version,
    description: 'VGG16/VGG19 ImageNet convolution weights (no classifier), float16, TensorFlow.js layers format, for Pastiche’s browser engines',
    license: 'CC-BY-4.0',
    files: [...Object.keys(models).map((m) => `${m}/`), 'LICENSE.md'],
  };
  await writeFile(path.join(outDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  await writeFile(path.join(outDir, 'LICENSE.md'), `# Licence and attribution\n\n${ATTRIBUTION}\n`);
  await writeFile(path.join(outDir, 'README.md'), `# ${pkg.name}\n\n${pkg.description}.\n\n${ATTRIBUTION}\n\nEach \`<model>/model.json\` lists the sha256 of every weight file under \`integrity\`.\n`);
  return sizes;
}
