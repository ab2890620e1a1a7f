import { build, type BuildOptions, type Plugin } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWorkerBundle, stylePresetsModule } from '@pastiche/web-bridge/build';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const coreSrc = path.dirname(require.resolve('@pastiche/core')) + path.sep;
const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

/**
 * The panel takes only the core's validation and defaults. The core's modules do nothing when imported
 * (except src/tfjs/, which registers gradients and is left alone), so they are marked side-effect free
 * and TensorFlow.js drops out of the panel's bundle (it lives in the worker). As the Figma plugin's build.
 */
const coreWithoutSideEffects: Plugin = {
  name: 'core-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolvingCore || !(args.path.startsWith('@pastiche/core') || args.importer.startsWith(coreSrc))) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolvingCore: true } });
      if (resolved.errors.length || resolved.external || !resolved.path.startsWith(coreSrc) || resolved.path.includes(`${path.sep}tfjs${path.sep}`)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** `import workerSource from 'pastiche:photopea-engine-worker'`: the engine's worker bundle, as text. */
const engineWorker = (source: string): Plugin => ({
  name: 'engine-worker',
  setup(b) {
    b.onResolve({ filter: /^pastiche:photopea-engine-worker$/ }, () => ({ path: 'engine-worker', namespace: 'pastiche' }));
    b.onLoad({ filter: /.*/, namespace: 'pastiche' }, () => ({ contents: `export default ${JSON.stringify(source)};`, loader: 'js' }));
  },
});

/** `import presetImages from 'pastiche:style-presets'`: the style presets as data: URLs, as in the Figma plugin. */
const stylePresets: Plugin = {
  name: 'style-presets',
  setup(b) {
    b.onResolve({ filter: /^pastiche:style-presets$/ }, () => ({ path: 'style-presets', namespace: 'pastiche-presets' }));
    b.onLoad({ filter: /.*/, namespace: 'pastiche-presets' }, async () => ({ contents: await stylePresetsModule(), loader: 'js' }));
  },
};

/**
 * Writes the Photopea plugin into `outDir`: plugin.html (+ plugin.js with the engine's worker inside, and
 * plugin.css), wasm/ (the WebAssembly backend's single-threaded binaries: threads need cross-origin
 * isolation, which a frame inside Photopea does not have), embed.html (+ embed.js) and icon.svg.
 * Host the folder anywhere over http(s); plugin.html is the URL Photopea loads.
 */
export async function buildPhotopeaPlugin(outDir: string, options: { minify?: boolean } = {}): Promise<string[]> {
  const minify = options.minify ?? true;
  await mkdir(path.join(outDir, 'wasm'), { recursive: true });
  const common: BuildOptions = { bundle: true, minify, legalComments: 'none', logLevel: 'warning', format: 'iife', platform: 'browser', target: ['chrome110', 'safari16', 'firefox115'] };
  const workerSource = await buildWorkerBundle({ minify });
  await Promise.all([
    build({ ...common, entryPoints: { plugin: path.join(here, '../ui/main.ts') }, outdir: outDir, plugins: [coreWithoutSideEffects, engineWorker(workerSource), stylePresets] }),
    build({ ...common, entryPoints: { embed: path.join(here, '../embed/embed.ts') }, outdir: outDir }),
    copyFile(path.join(here, '../ui/plugin.html'), path.join(outDir, 'plugin.html')),
    copyFile(path.join(here, '../embed/embed.html'), path.join(outDir, 'embed.html')),
    copyFile(path.join(here, '../embed/icon.svg'), path.join(outDir, 'icon.svg')),
    ...WASM_FILES.map((name) => copyFile(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist', name), path.join(outDir, 'wasm', name))),
  ]);
  return ['plugin.html', 'plugin.js', 'plugin.css', 'embed.html', 'embed.js', 'icon.svg', ...WASM_FILES.map((n) => `wasm/${n}`)];
}
