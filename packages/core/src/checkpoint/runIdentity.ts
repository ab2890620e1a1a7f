import corePackage from '../../package.json' with { type: 'json' };
import type { Engine } from '../engines/types.ts';
import type { RgbaImage } from '../image/types.ts';
import type { ResolvedRequest } from '../request/types.ts';
import { sha256Hex } from '../weights/sha256Hex.ts';
import { CheckpointError } from './CheckpointError.ts';
import type { RunIdentity } from './StylizeCheckpoint.ts';

const imageId = async (image: RgbaImage) =>
  `${image.width}×${image.height} sha256:${await sha256Hex(new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength))}`;

/** The identity of a validated request on an engine: its images' hashes, its resolved options, the engine. */
export async function runIdentity(request: ResolvedRequest, engine: Engine): Promise<RunIdentity> {
  const { content, styles, contentMask, initImage, options } = request;
  return {
    inputs: {
      content: await imageId(content),
      styles: await Promise.all(styles.map(async (s) => ({ image: await imageId(s.image), weight: s.weight, ...(s.mask && { mask: await imageId(s.mask) }) }))),
      ...(contentMask && { contentMask: await imageId(contentMask) }),
      ...(initImage && { initImage: await imageId(initImage) }),
    },
    options,
    engine: { name: engine.name, model: engine.model, version: corePackage.version, ...(engine.runtime && { runtime: engine.runtime }) },
  };
}

/** Throws a CheckpointError naming the first difference between a checkpoint's identity and the run's. */
export function checkSameRun(checkpoint: RunIdentity, run: RunIdentity): void {
  const differ = (what: string, was: unknown, is: unknown) => {
    throw new CheckpointError('mismatch', `checkpoint is of another run: ${what} was ${JSON.stringify(was)}, is ${JSON.stringify(is)}`);
  };
  const { engine } = checkpoint;
  for (const key of ['name', 'model', 'version', 'runtime'] as const) if (engine?.[key] !== run.engine[key]) differ(`the engine's ${key}`, engine?.[key], run.engine[key]);
  const inputs = checkpoint.inputs;
  if (inputs?.content !== run.inputs.content) differ('the content', inputs?.content, run.inputs.content);
  if (inputs.styles?.length !== run.inputs.styles.length) differ('the number of styles', inputs.styles?.length, run.inputs.styles.length);
  run.inputs.styles.forEach((style, i) => {
    for (const key of ['image', 'weight', 'mask'] as const) if (inputs.styles[i][key] !== style[key]) differ(`styles[${i}].${key}`, inputs.styles[i][key], style[key]);
  });
  if (inputs.contentMask !== run.inputs.contentMask) differ('the content mask', inputs.contentMask, run.inputs.contentMask);
  if (inputs.initImage !== run.inputs.initImage) differ('the init image', inputs.initImage, run.inputs.initImage);
  const [was, is] = [checkpoint.options ?? {}, run.options] as Array<Record<string, unknown>>;
  for (const key of new Set([...Object.keys(was), ...Object.keys(is)])) {
    if (JSON.stringify(was[key]) !== JSON.stringify(is[key])) differ(`options.${key}`, was[key], is[key]);
  }
}
