/**
 * glibc's malloc raises its mmap threshold as large blocks are freed (up to 32 MB), after which freed
 * blocks stay in its heap: what ONNX Runtime frees while it opens a session (the parsed model, kernels
 * before their reordering) and what the targets' run frees stay resident, beside the activations the
 * evaluation then maps afresh. A fixed threshold of 128 KiB maps every larger block and unmaps it when
 * freed: peak RSS of a 512 px evaluation 1.03 GB instead of about 1.3 GB, at the same speed (measured
 * with `npm run bench -- --only timing`). glibc reads it when a process starts, so it is given to the
 * processes we start: the engine processes, and `stylize` relaunched (elsewhere than Linux-glibc it is
 * ignored).
 */
const TUNABLE = 'glibc.malloc.mmap_threshold';
const VALUE = 128 * 1024;

export function hasMallocTuning(env: NodeJS.ProcessEnv): boolean {
  return process.platform !== 'linux' || (env.GLIBC_TUNABLES ?? '').includes(`${TUNABLE}=`);
}

export function withMallocTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (hasMallocTuning(env)) return env;
  const setting = `${TUNABLE}=${VALUE}`;
  return { ...env, GLIBC_TUNABLES: env.GLIBC_TUNABLES ? `${env.GLIBC_TUNABLES}:${setting}` : setting };
}
