/**
 * Every engine by the name users pick it with (`--backend`, the in-page worker's `backends`), what runs it
 * and where it loads, in the order `auto` tries them. The CLI's help and `--backend` check, `pastiche backends`,
 * the runner, the pool worker and the browser's worker all read this list. Data only: core stays free of Node
 * and DOM, and both hosts import core.
 */

/**
 * The libraries the engines run on, and the version each host's code was written against (major.minor: any
 * patch of it). Where a host relies on a library beyond its documented API, that reliance lives in one folder
 * per library whose version check compares the installed version with this (node-runner/src/backend/onnxruntime
 * and tfjs, web-bridge/src/worker/onnxruntime and tfjs); a test fails when the library is upgraded past it.
 */
export const ENGINE_LIBRARIES = {
  'onnxruntime-node': '1.30',
  'onnxruntime-web': '1.30',
  '@tensorflow/tfjs-backend-wasm': '4.22',
  '@tensorflow/tfjs-backend-webgl': '4.22',
  '@tensorflow/tfjs-backend-cpu': '4.22',
} as const;
export type EngineLibrary = keyof typeof ENGINE_LIBRARIES;

type OnnxPackage = 'onnxruntime-node' | 'onnxruntime-web';
type TfjsPackage = Exclude<EngineLibrary, OnnxPackage>;

interface OnnxEntry {
  label: string;
  /** ONNX Runtime's execution provider. */
  provider: 'cuda' | 'dml' | 'webgpu' | 'coreml' | 'cpu';
  /** In Node: onnxruntime-node, on the platforms (`${process.platform}-${process.arch}`) its npm package has the provider for. */
  node?: { package: 'onnxruntime-node'; platforms: readonly string[] };
  browser?: { package: 'onnxruntime-web' };
  /** A GPU engine: `auto` passes over it on a software adapter (SwiftShader, llvmpipe); asked for by name it runs there. */
  gpu: boolean;
}

interface TfjsEntry {
  label: string;
  /** TensorFlow.js's backend of this name. */
  tfjsBackend: 'webgl' | 'wasm' | 'cpu';
  node?: { package: TfjsPackage };
  browser?: { package: TfjsPackage };
  gpu: boolean;
}

export type EngineEntry = OnnxEntry | TfjsEntry;

/**
 * A real GPU first (ONNX Runtime's CUDA, DirectML, WebGPU, CoreML providers), then the fastest CPU engine
 * (ONNX Runtime), then TensorFlow.js: WebGL (browsers), wasm, pure-JS cpu. On a Mac WebGPU (Metal through Dawn)
 * comes before CoreML: it runs every op of the graph, where CoreML takes only those it knows and hands the rest
 * back to the CPU.
 */
export const ENGINES = {
  'onnx-cuda': { label: 'CUDA (ONNX Runtime)', provider: 'cuda', gpu: true, node: { package: 'onnxruntime-node', platforms: ['linux-x64', 'win32-x64'] } },
  'onnx-dml': { label: 'DirectML (ONNX Runtime)', provider: 'dml', gpu: true, node: { package: 'onnxruntime-node', platforms: ['win32-x64', 'win32-arm64'] } },
  'onnx-webgpu': {
    label: 'WebGPU (ONNX Runtime)',
    provider: 'webgpu',
    gpu: true,
    node: { package: 'onnxruntime-node', platforms: ['linux-x64', 'win32-x64', 'win32-arm64', 'darwin-arm64'] },
    browser: { package: 'onnxruntime-web' },
  },
  'onnx-coreml': { label: 'CoreML (ONNX Runtime)', provider: 'coreml', gpu: true, node: { package: 'onnxruntime-node', platforms: ['darwin-arm64'] } },
  'onnx-cpu': { label: 'CPU (ONNX Runtime)', provider: 'cpu', gpu: false, node: { package: 'onnxruntime-node', platforms: ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64', 'darwin-arm64'] } },
  webgl: { label: 'WebGL', tfjsBackend: 'webgl', gpu: true, browser: { package: '@tensorflow/tfjs-backend-webgl' } },
  wasm: { label: 'WebAssembly', tfjsBackend: 'wasm', gpu: false, node: { package: '@tensorflow/tfjs-backend-wasm' }, browser: { package: '@tensorflow/tfjs-backend-wasm' } },
  cpu: { label: 'CPU', tfjsBackend: 'cpu', gpu: false, node: { package: '@tensorflow/tfjs-backend-cpu' }, browser: { package: '@tensorflow/tfjs-backend-cpu' } },
} as const satisfies Record<string, EngineEntry>;

export type BackendName = keyof typeof ENGINES;
type LoadsIn<Host extends 'node' | 'browser'> = { [N in BackendName]: (typeof ENGINES)[N] extends Record<Host, unknown> ? N : never }[BackendName];
export type NodeBackendName = LoadsIn<'node'>;
export type BrowserBackendName = LoadsIn<'browser'>;

const namesIn = <Host extends 'node' | 'browser'>(host: Host) =>
  (Object.keys(ENGINES) as BackendName[]).filter((name) => host in ENGINES[name]) as Array<LoadsIn<Host>>;
/** The engines Node loads (the CLI, the runner, the pool worker), in `auto`'s order. */
export const NODE_BACKEND_NAMES: readonly NodeBackendName[] = namesIn('node');
/** The engines a browser page's worker loads, in `auto`'s order. */
export const BROWSER_BACKEND_NAMES: readonly BrowserBackendName[] = namesIn('browser');

/** A real GPU: a GPU engine on a hardware adapter. */
export const isHardwareGpu = (b: { name: BackendName; software?: boolean }) => ENGINES[b.name].gpu && !b.software;

/**
 * `${library} ${installed}` when `installed` is a version the hosts' code was written against (ENGINE_LIBRARIES),
 * else an error naming both: the engines' version in a checkpoint's identity is this line.
 */
export function checkLibraryVersion(library: EngineLibrary, installed: string, where: string): string {
  const written = ENGINE_LIBRARIES[library];
  if (!installed.startsWith(`${written}.`)) {
    throw new Error(`${where} was written for ${library} ${written}.x; ${installed} is installed`);
  }
  return `${library} ${installed}`;
}
