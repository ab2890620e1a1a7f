export type {
  Integrity,
  LayersModelJson,
  MemoryWeightsSource,
  ReaderWeightsSource,
  WeightSpec,
  WeightsManifestGroup,
  WeightsSource,
} from '@pastiche/core';
export { assertLayersBelongToModel } from './assertLayersBelongToModel.ts';
export { buildVggLayersTopology, type VggLayer } from './buildVggLayersTopology.ts';
export { defaultCacheDir } from './defaultCacheDir.ts';
export { defaultWeightsUrl } from './defaultWeightsUrl.ts';
export { downloadLayersModelToCache, type DownloadLayersModelOptions } from './downloadLayersModelToCache.ts';
export { downloadToCache, type Checksum, type DownloadProgress, type DownloadToCacheOptions } from './downloadToCache.ts';
export { hasHdf5Signature } from './hasHdf5Signature.ts';
export { hashFile, type FileHashes } from './hashFile.ts';
export { layersModelFolderSource } from './layersModelFolderSource.ts';
export { manifestLayerNames, parseLayersModelJson } from './parseLayersModelJson.ts';
export { readKerasH5Weights, type ReadKerasH5WeightsOptions } from './readKerasH5Weights.ts';
export { resolveWeightsSource, type ResolveWeightsOptions } from './resolveWeightsSource.ts';
