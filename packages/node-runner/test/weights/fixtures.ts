// Shared helpers for the weights tests (not a test file itself).
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import h5wasm from 'h5wasm/node';

/** /work/shared/models, found as `../shared` from the repository root (4 levels above this folder). */
export const sharedModelsDir = fileURLToPath(new URL('../../../../../shared/models/', import.meta.url));

export interface ModelJsonLike {
  modelTopology: { model_config: { config: { layers: Array<{ class_name: string; name: string }> } } };
  weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }>;
}

export async function readSharedModel(model: 'vgg16' | 'vgg19'): Promise<{ dir: string; modelJson: ModelJsonLike; weightBytes: Uint8Array }> {
  const dir = path.join(sharedModelsDir, model);
  const modelJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8')) as ModelJsonLike;
  const parts = await Promise.all(modelJson.weightsManifest.flatMap((g) => g.paths).map((p) => readFile(path.join(dir, p))));
  return { dir, modelJson, weightBytes: new Uint8Array(Buffer.concat(parts)) };
}

export async function makeTempDir(t: { after(fn: () => Promise<void>): void }, prefix = 'pastiche-weights-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes a Keras-layout weights .h5 (as `model.save_weights` / keras-applications files are laid out) from a
 * layers-format model folder: root attrs layer_names/backend/keras_version, one group per layer with
 * `weight_names`; 'old' naming `block1_conv1_W_1:0` / `_b_1:0`, 'new' naming nested `block1_conv1/kernel:0`.
 */
export async function writeKerasH5FromLayersModel(model: 'vgg16' | 'vgg19', outFile: string, naming: 'old' | 'new' = 'old'): Promise<void> {
  const { dir, modelJson } = await readSharedModel(model);
  await h5wasm.ready;
  const f = new h5wasm.File(outFile, 'w');
  try {
    const layerNames = modelJson.modelTopology.model_config.config.layers.map((l) => l.name);
    f.create_attribute('layer_names', layerNames, null, `S${Math.max(...layerNames.map((n) => n.length))}`);
    f.create_attribute('backend', 'tensorflow');
    f.create_attribute('keras_version', '2.1.4');
    for (const layer of modelJson.modelTopology.model_config.config.layers) {
      const group = f.create_group(layer.name);
      const manifestGroup = modelJson.weightsManifest.find((g) => g.weights[0].name.startsWith(`${layer.name}/`));
      if (!manifestGroup) {
        group.create_attribute('weight_names', [], null, 'S1');
        continue;
      }
      const bytes = Buffer.concat(await Promise.all(manifestGroup.paths.map((p) => readFile(path.join(dir, p)))));
      const floats = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      const [kernelSpec, biasSpec] = manifestGroup.weights;
      const kernelCount = kernelSpec.shape.reduce((a, b) => a * b, 1);
      const names = naming === 'old' ? [`${layer.name}_W_1:0`, `${layer.name}_b_1:0`] : [`${layer.name}/kernel:0`, `${layer.name}/bias:0`];
      group.create_attribute('weight_names', names, null, `S${Math.max(...names.map((n) => n.length))}`);
      const parent = naming === 'old' ? group : group.create_group(layer.name);
      const leaf = (n: string) => n.split('/').pop()!;
      parent.create_dataset({ name: leaf(names[0]), data: floats.slice(0, kernelCount), shape: kernelSpec.shape, dtype: '<f' });
      parent.create_dataset({ name: leaf(names[1]), data: floats.slice(kernelCount), shape: biasSpec.shape, dtype: '<f' });
    }
  } finally {
    f.close();
  }
}

export interface TestServer {
  /** Base URL ending in '/'. */
  url: string;
  /** Request paths in arrival order. */
  requests: string[];
  close(): Promise<void>;
}

/** Serves files under `root` on 127.0.0.1 (random port), with Content-Length; 404 for anything else. */
export async function startFileServer(root: string): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer(async (req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(urlPath);
    if (urlPath === '/truncated.bin') {
      res.writeHead(200, { 'content-length': '1000' });
      res.write(Buffer.alloc(100, 7));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    const file = path.join(root, urlPath);
    try {
      if (!file.startsWith(root) || !(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength) });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** Every file under `dir` (recursively), relative paths; [] when dir is missing. */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name))).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
