/**
 * glibc's malloc settings for the processes that paint, each with its measured reason. glibc reads them
 * (GLIBC_TUNABLES) when a process starts, so they are given to the processes we start: the engine processes,
 * and `stylize` relaunched. Elsewhere than Linux-glibc they are ignored, as are tunables an older glibc lacks.
 */
const TUNABLES = [
  /**
   * glibc raises its mmap threshold as large blocks are freed (up to 32 MB), after which freed blocks stay in
   * its heap: what ONNX Runtime frees while it opens a session (the parsed model, kernels before their
   * reordering) and what the targets' run frees stay resident, beside the activations the evaluation then maps
   * afresh. A fixed threshold of 4 MiB maps every larger block and unmaps it when freed: peak RSS of a 512 px
   * evaluation 1.07 GB instead of 1.3–1.4 GB, evaluations as fast, opening a scale about 60 ms slower
   * (128 KiB: 1.03 GB, but 600 ms per scale; 16 MiB: no gain). Measured with `npm run bench -- --only timing`.
   */
  { name: 'glibc.malloc.mmap_threshold', value: String(4 * 1024 * 1024) },
  /**
   * Transparent huge pages for those mapped blocks (madvise; Debian's and Ubuntu's default mode honours it):
   * every fresh 4 KiB page costs a fault (about 7 µs on our VM), and a scale's targets and first evaluation map
   * its activations afresh, 10 GB at 2048 px. With 2 MiB pages that scale's set-up took 14.8 s instead of 42.6 s
   * and its first evaluation 20.6 s instead of 32.9 s; same results, same peak (docs/memory.md, "Huge pages").
   */
  { name: 'glibc.malloc.hugetlb', value: '1' },
] as const;

const settingsOf = (env: NodeJS.ProcessEnv) => (env.GLIBC_TUNABLES ?? '').split(':').filter(Boolean);
/** Ours that the environment does not set (a user's own value of one of them is kept); none elsewhere than Linux. */
function missing(env: NodeJS.ProcessEnv) {
  if (process.platform !== 'linux') return [];
  const set = settingsOf(env);
  return TUNABLES.filter(({ name }) => !set.some((s) => s.startsWith(`${name}=`)));
}

export function hasMallocTuning(env: NodeJS.ProcessEnv): boolean {
  return missing(env).length === 0;
}

export function withMallocTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const absent = missing(env);
  if (absent.length === 0) return env;
  return { ...env, GLIBC_TUNABLES: [...settingsOf(env), ...absent.map(({ name, value }) => `${name}=${value}`)].join(':') };
}

/** The environment without our settings (others in GLIBC_TUNABLES kept): for programs measured beside ours. */
export function withoutMallocTuning(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const ours = new Set(TUNABLES.map(({ name, value }) => `${name}=${value}`));
  const kept = settingsOf(env).filter((s) => !ours.has(s));
  const { GLIBC_TUNABLES: _, ...rest } = env;
  return kept.length ? { ...rest, GLIBC_TUNABLES: kept.join(':') } : rest;
}
