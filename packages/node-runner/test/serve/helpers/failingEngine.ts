import { createPastiche, stylize, type Pastiche, type PasticheConfig, type VggFeatureExtractor } from '@pastiche/core';

/** Seeds that make the engine of failingEngineProcess.ts fail, in the forward pass of a job's third evaluation (two extractions for the targets, then one per evaluation). */
export const FAILING_SEEDS = {
  /** Throws a backend's out-of-memory error. */
  outOfMemory: 13,
  /** Traps as a wasm backend with corrupt memory does. */
  wasmTrap: 14,
  /** Computes without end and never looks at its cancel: only a kill stops it. */
  wedged: 15,
} as const;

/** The real engine, except for the jobs whose seed is one of FAILING_SEEDS. */
export function engineFailingOnSeed(config: PasticheConfig): Pastiche {
  const engine = createPastiche(config);
  return {
    ...engine,
    async stylize(request, callbacks) {
      const seed = request.options?.seed;
      if (!Object.values(FAILING_SEEDS).includes(seed as never)) return engine.stylize(request, callbacks);
      const extractor = await engine.loadModel(request.options?.model ?? 'vgg16');
      let calls = 0;
      const failing: VggFeatureExtractor = {
        ...extractor,
        extract(input, layers, pooling) {
          if (++calls === 5) {
            if (seed === FAILING_SEEDS.outOfMemory) throw new Error('Out of memory: failed to allocate 2147483648 bytes (injected)');
            if (seed === FAILING_SEEDS.wasmTrap) throw new WebAssembly.RuntimeError('memory access out of bounds (injected)');
            for (;;); // wedged
          }
          return extractor.extract(input, layers, pooling);
        },
      };
      return stylize(failing, request, callbacks);
    },
  };
}
