import type { LayersModelJson } from '@pastiche/core';

/** Parses and sanity-checks a TensorFlow.js layers-format model.json; `where` names it in errors. */
export function parseLayersModelJson(text: string, where: string): LayersModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${where} is not valid JSON (${(err as Error).message}); expected a TensorFlow.js layers-format model.json.`);
  }
  const model = json as Partial<LayersModelJson> | null;
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw new Error(`${where} is not a JSON object; expected a TensorFlow.js layers-format model.json.`);
  }
  if (model.modelTopology === undefined || model.modelTopology === null) {
    throw new Error(`${where} has no 'modelTopology'; expected a TensorFlow.js layers-format model.json (graph models are not supported).`);
  }
  if (!Array.isArray(model.weightsManifest) || model.weightsManifest.length === 0) {
    throw new Error(`${where} has no 'weightsManifest' entries; expected a TensorFlow.js layers-format model.json with weights.`);
  }
  for (const group of model.weightsManifest) {
    if (!Array.isArray(group?.paths) || !group.paths.every((p) => typeof p === 'string') || !Array.isArray(group.weights)) {
      throw new Error(`${where} has a malformed 'weightsManifest' group (expected { paths: string[], weights: [...] }).`);
    }
  }
  return model as LayersModelJson;
}

/** Layer names of the manifest's weights (`block1_conv1/kernel` → `block1_conv1`). */
export function manifestLayerNames(model: LayersModelJson): string[] {
  return model.weightsManifest.flatMap((g) => g.weights.map((w) => String(w?.name ?? '').split('/')[0]));
}
