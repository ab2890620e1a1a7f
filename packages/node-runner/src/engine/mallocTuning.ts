/**
 * glibc's malloc raises its mmap threshold as large blocks are freed (up to 32 MB), after which freed
 * blocks stay in its heap: what ONNX Runtime frees while it opens a session (the parsed model, kernels
 * before their reordering) and what the targets' run frees stay resident, beside the activations the
 * evaluation then maps afresh. A fixed threshold of 4 MiB maps every larger block and unmaps it when
 * freed: peak RSS of a 512 px evaluation 1.07 GB instead of 1.3–1.4 GB, evaluations as fast, opening a
 * scale about 60 ms slower (128 KiB: 1.03 GB, but 600 ms per scale; 16 MiB: no gain). Measured with
 * `npm run bench -- --only timing`. glibc reads it when a process starts, so it is given to the
 * processes we start: the engine processes, and `stylize` relaunched (elsewhere than Linux-glibc it is
 * ignored).
 */
const TUNABLE = 'glibc.malloc.mmap_threshold';
const VALUE = 4 * 1024 * 1024;

export function hasMallocTuning(env: NodeJS.ProcessEnv): boolean {
  return process.platform !== 'linux' || (env.GLIBC_TUNABLES ?? '').includes(`${TUNABLE}=`);
}

export function withMallocTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (hasMallocTuning(env)) return env;
  const setting = `${TUNABLE}=${VALUE}`;
  return { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:${setting}` : setting };
}

/** The environment without our setting (others in GLIBC_TUNABLES kept): for programs measured beside ours. */
export function withoutMallocTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = (env.GLIBC_TUNABLES ?? '').split(':').filter((t) => t && t !== `${TUNABLE}=${VALUE}`);
  const { GLIBC_TUNABLES: _, ...rest } = env;
  return kept.length ? { ...rest, GLIBC_TUNABLES: kept.join(':') } : rest;
}
