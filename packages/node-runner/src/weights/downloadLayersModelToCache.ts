import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { downloadToCache, type DownloadToCacheOptions } from './downloadToCache.ts';
import { parseLayersModelJson } from './parseLayersModelJson.ts';

export type DownloadLayersModelOptions = Omit<DownloadToCacheOptions, 'relativePath' | 'checksum'>;

/**
 * Downloads a model.json URL and every weight file its manifest lists into one cache folder
 * (`models/<sha256(url), 16 hex>/`, the model.json saved as `model.json`, shards at their relative paths),
 * each only once, and returns the local model.json path, which then works offline.
 */
export async function downloadLayersModelToCache(modelJsonUrl: string, options: DownloadLayersModelOptions = {}): Promise<string> {
  const folder = path.join('models', createHash('sha256').update(modelJsonUrl).digest('hex').slice(0, 16));
  const modelJsonPath = await downloadToCache(modelJsonUrl, { ...options, relativePath: path.join(folder, 'model.json') });
  const modelJson = parseLayersModelJson(await readFile(modelJsonPath, 'utf8'), `${modelJsonUrl} (cached as ${modelJsonPath})`);
  for (const shard of new Set(modelJson.weightsManifest.flatMap((g) => g.paths))) {
    const normalized = path.posix.normalize(shard);
    if (/^[a-z][a-z\d+.-]*:/i.test(shard) || path.posix.isAbsolute(normalized) || normalized.startsWith('../') || normalized === '..') {
      throw new Error(`${modelJsonUrl} lists weight file '${shard}'; expected a path relative to the model.json's folder.`);
    }
    await downloadToCache(new URL(shard, modelJsonUrl).href, { ...options, relativePath: path.join(folder, ...normalized.split('/')) });
  }
  return modelJsonPath;
}
