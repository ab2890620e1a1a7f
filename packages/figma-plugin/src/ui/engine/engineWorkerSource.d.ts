// Filled in by build.mjs: the in-page engine's worker bundle and the wasm backend's binaries, inlined
// because a Figma plugin's UI is one HTML file with no other files beside it.
declare module 'pastiche:engine-worker' {
  const workerSource: string;
  /** tfjs-backend-wasm file name → data: URL. */
  export const wasmPaths: Record<string, string>;
  export default workerSource;
}
