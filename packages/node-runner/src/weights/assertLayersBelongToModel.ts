import { vggConvLayerNames, type VggModelName as VggModel } from '@pastiche/core';

/**
 * Throws when the weights name a VGG conv layer (`blockN_convM`) that `model` does not have, e.g. VGG19
 * weights (block3_conv4) given for VGG16. Other names are left alone; a subset (blocks 1–3 only) is fine.
 */
export function assertLayersBelongToModel(model: VggModel, layerNames: Iterable<string>, where: string): void {
  const known = new Set(vggConvLayerNames(model));
  const foreign = [...new Set(layerNames)].filter((n) => /^block\d+_conv\d+$/.test(n) && !known.has(n));
  if (foreign.length > 0) {
    const other = model === 'vgg16' ? 'vgg19' : 'vgg16';
    const hint = foreign.every((n) => vggConvLayerNames(other).includes(n)) ? ` (they look like ${other} weights)` : '';
    throw new Error(
      `${where} has layer(s) ${foreign.join(', ')}, which ${model} does not have${hint}. ` +
        `Expected ${model} weights with layers among ${vggConvLayerNames(model).join(', ')}.`,
    );
  }
}
