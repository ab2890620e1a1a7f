import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../../../..');
/** The real VGG16 blocks 1–3 weights beside the checkout (../shared), unless PASTICHE_WEIGHTS names others. */
export const weightsPath = process.env.PASTICHE_WEIGHTS ?? path.resolve(repoRoot, '../shared/models/vgg16');
