import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LayersModelJson, ReaderWeightsSource } from '@pastiche/core';
import { parseLayersModelJson } from './parseLayersModelJson.ts';

/**
 * A `reader` source for a model.json on disk and the weight files its manifest lists (relative to its folder).
 * The model.json is parsed and every listed file checked up front, so a broken folder fails here, naming the
 * missing files. `read('model.json')` returns the given model.json even when it is named differently.
 */
export async function layersModelFolderSource(modelJsonPath: string): Promise<{ source: ReaderWeightsSource; modelJson: LayersModelJson }> {
  const file = path.resolve(modelJsonPath);
  const folder = path.dirname(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`Cannot read model.json ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
  }
  const modelJson = parseLayersModelJson(text, file);
  const listed = [...new Set(modelJson.weightsManifest.flatMap((g) => g.paths))];
  const missing: string[] = [];
  for (const p of listed) {
    const ok = await stat(path.resolve(folder, p)).then((s) => s.isFile(), () => false);
    if (!ok) missing.push(p);
  }
  if (missing.length > 0) {
    throw new Error(`${file} lists weight file(s) missing from ${folder}: ${missing.join(', ')}.`);
  }
  const source: ReaderWeightsSource = {
    kind: 'reader',
    async read(relativePath: string): Promise<Uint8Array> {
      const target = relativePath === 'model.json' ? file : path.resolve(folder, relativePath);
      try {
        return await readFile(target);
      } catch (err) {
        throw new Error(`Cannot read ${target} (for ${file}): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
      }
    },
  };
  return { source, modelJson };
}
