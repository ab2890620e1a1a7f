import { createPastiche, type Engine, type Pastiche, type PasticheConfig } from '@pastiche/core';

/** Seeds that make the engine of failingEngineProcess.ts fail, in a job's third evaluation. */
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
  let seed: number | undefined;
  const engine = createPastiche({
    ...config,
    async createEngine(model, weights) {
      const real = await config.createEngine!(model, weights);
      const failing: Engine = {
        ...real,
        async prepareScale(settings, content, styles) {
          const objective = await real.prepareScale(settings, content, styles);
          let calls = 0;
          return {
            ...objective,
            evaluate(x) {
              if (Object.values(FAILING_SEEDS).includes(seed as never) && ++calls === 3) {
                if (seed === FAILING_SEEDS.outOfMemory) throw new Error('Out of memory: failed to allocate 2147483648 bytes (injected)');
                if (seed === FAILING_SEEDS.wasmTrap) throw new WebAssembly.RuntimeError('memory access out of bounds (injected)');
                for (;;); // wedged
              }
              return objective.evaluate(x);
            },
            dispose: () => objective.dispose(),
          };
        },
      };
      return failing;
    },
  });
  return {
    ...engine,
    stylize(request, callbacks) {
      seed = request.options?.seed;
      return engine.stylize(request, callbacks);
    },
  };
}
