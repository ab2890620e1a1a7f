import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertLayersBelongToModel } from './assertLayersBelongToModel.ts';
import { defaultWeightsUrl } from './defaultWeightsUrl.ts';
import { downloadLayersModelToCache } from './downloadLayersModelToCache.ts';
import { downloadToCache, type Checksum, type DownloadProgress } from './downloadToCache.ts';
import { hasHdf5Signature } from './hasHdf5Signature.ts';
import type { WeightsSource } from '@pastiche/core';
import { layersModelFolderSource } from './layersModelFolderSource.ts';
import { manifestLayerNames } from './parseLayersModelJson.ts';
import { readKerasH5Weights } from './readKerasH5Weights.ts';
import type { VggModelName as VggModel } from '@pastiche/core';

export interface ResolveWeightsOptions {
  /** Environment to read PASTICHE_WEIGHTS and the cache location from; default process.env. */
  env?: NodeJS.ProcessEnv;
  onProgress?: DownloadProgress;
  /** Download cache; default $PASTICHE_CACHE_DIR, $XDG_CACHE_HOME/pastiche or ~/.cache/pastiche. */
  cacheDir?: string;
}

const ACCEPTED =
  'a folder containing model.json or <model>/model.json, a model.json file, a Keras .h5 weights file, ' +
  'or an http(s) URL of a .h5 file or a model.json';

/**
 * Turns the CLI's `--weights PATH|URL` (else `$PASTICHE_WEIGHTS`, else the Keras notop .h5 for `model`) into a
 * weights source. Local folders/model.json become a `reader` source (checked up front); .h5 files are read into
 * a `memory` source; URLs are downloaded into the cache first (once), so later runs work offline.
 */
export async function resolveWeightsSource(model: VggModel, spec: string | undefined, options: ResolveWeightsOptions = {}): Promise<WeightsSource> {
  const env = options.env ?? process.env;
  const download = { cacheDir: options.cacheDir, env, onProgress: options.onProgress };
  const given = spec?.trim() ? { value: spec.trim(), origin: '--weights' } : env.PASTICHE_WEIGHTS?.trim() ? { value: env.PASTICHE_WEIGHTS.trim(), origin: 'PASTICHE_WEIGHTS' } : undefined;

  if (!given) {
    const { url, checksum } = defaultWeightsUrl(model);
    return readRemoteH5(model, url, checksum, download, `default ${model} weights`);
  }
  const { value, origin } = given;

  if (/^[a-z][a-z\d+.-]*:\/\//i.test(value) && !/^file:/i.test(value)) {
    if (!/^https?:/i.test(value)) throw new Error(`Unsupported weights URL ${value} (from ${origin}); expected ${ACCEPTED}.`);
    let pathname: string;
    try {
      pathname = new URL(value).pathname.toLowerCase();
    } catch {
      throw new Error(`Invalid weights URL ${value} (from ${origin}); expected ${ACCEPTED}.`);
    }
    if (/\.(h5|hdf5)$/.test(pathname)) return readRemoteH5(model, value, undefined, download, `${value} (from ${origin})`);
    if (pathname.endsWith('.json')) {
      const modelJsonPath = await downloadLayersModelToCache(value, download);
      return localModelJson(model, modelJsonPath, `${value} (from ${origin}, cached as ${modelJsonPath})`);
    }
    throw new Error(`Cannot tell what weights URL ${value} (from ${origin}) holds; expected a URL ending in .h5 (Keras weights) or .json (TensorFlow.js model.json).`);
  }

  const target = path.resolve(/^file:/i.test(value) ? fileURLToPath(value) : value);
  const where = `${target} (from ${origin})`;
  const info = await stat(target).catch(() => undefined);
  if (!info) throw new Error(`Weights path ${where} does not exist; expected ${ACCEPTED}.`);

  if (info.isDirectory()) {
    for (const candidate of [path.join(target, 'model.json'), path.join(target, model, 'model.json')]) {
      if (await stat(candidate).then((s) => s.isFile(), () => false)) return localModelJson(model, candidate, candidate);
    }
    throw new Error(`Weights folder ${where} has neither model.json nor ${model}/model.json; expected ${ACCEPTED}.`);
  }
  if (await hasHdf5Signature(target)) return readLocalH5(model, target, target);
  if (await startsWithJsonObject(target)) return localModelJson(model, target, target);
  throw new Error(`Weights file ${where} is neither HDF5 (Keras .h5) nor JSON (model.json); expected ${ACCEPTED}.`);
}

async function readRemoteH5(
  model: VggModel,
  url: string,
  checksum: Checksum | undefined,
  download: { cacheDir?: string; env: NodeJS.ProcessEnv; onProgress?: DownloadProgress },
  what: string,
): Promise<WeightsSource> {
  const file = await downloadToCache(url, { ...download, checksum });
  return readLocalH5(model, file, `${what}, cached as ${file}`);
}

async function readLocalH5(model: VggModel, file: string, what: string): Promise<WeightsSource> {
  const source = await readKerasH5Weights(file, { modelName: model });
  assertLayersBelongToModel(model, manifestLayerNames(source.modelJson), `Keras weights ${what}`);
  return source;
}

async function localModelJson(model: VggModel, modelJsonPath: string, what: string): Promise<WeightsSource> {
  const { source, modelJson } = await layersModelFolderSource(modelJsonPath);
  assertLayersBelongToModel(model, manifestLayerNames(modelJson), `model.json ${what}`);
  return source;
}

async function startsWithJsonObject(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(64);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').trimStart().startsWith('{');
  } finally {
    await handle.close();
  }
}
