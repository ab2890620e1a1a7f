// Builds the plugin Figma loads (see manifest.json):
// - dist/main.js: the sandbox code, one classic script (Figma runs it with `figma` and `__html__` defined);
// - dist/ui.html: the whole UI in one file (Figma shows it as `__html__`, with nothing beside it), that is
//   the UI script and its CSS, and inside the script the in-page engine's worker and the wasm backend's
//   binaries (data: URLs).
// `node build.mjs --watch` rebuilds on change.
import { build, context } from 'esbuild';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const coreSrc = path.join(path.dirname(fileURLToPath(import.meta.resolve('@pastiche/core'))), path.sep);
const watch = process.argv.includes('--watch');

/**
 * The main code and the UI take only the core's schemas, defaults and validation; painting happens in
 * web-bridge's worker, bundled on its own. So the core's modules are marked side-effect free and the
 * unused ones, TensorFlow.js with them, drop out of both bundles (no tfjs in main.js or the UI's own
 * code). The one import this drops on purpose is stylize.ts's gradient registration, which neither uses.
 */
const coreWithoutSideEffects = {
  name: 'core-without-side-effects',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData?.resolvingCore || !(args.path.startsWith('@pastiche/core') || args.importer.startsWith(coreSrc))) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: { resolvingCore: true } });
      if (resolved.errors.length || resolved.external || !resolved.path.startsWith(coreSrc)) return undefined;
      return { ...resolved, sideEffects: false };
    });
  },
};

/** `import workerSource, { wasmPaths } from 'pastiche:engine-worker'`: web-bridge's worker bundle and the wasm binaries. */
const engineWorker = {
  name: 'engine-worker',
  setup(b) {
    b.onResolve({ filter: /^pastiche:engine-worker$/ }, () => ({ path: 'engine-worker', namespace: 'pastiche' }));
    b.onLoad({ filter: /.*/, namespace: 'pastiche' }, async () => {
      const { buildWorkerBundle } = await tsImport('@pastiche/web-bridge/build', import.meta.url);
      // Figma shows the UI as a data: URL, not a secure context: no WebGPU, so no ONNX Runtime (WebGL paints).
      const source = await buildWorkerBundle({ minify: true, onnx: false });
      // Threads need cross-origin isolation, which a plugin iframe never has: only the single-threaded builds.
      const wasmDir = path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      const wasmPaths = {};
      for (const name of ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm']) {
        const bytes = await readFile(path.join(wasmDir, 'dist', name));
        wasmPaths[name] = `data:application/wasm;base64,${bytes.toString('base64')}`;
      }
      // tfjs wants an entry for its threaded build too, but takes it only where threads exist (a cross-origin
      // isolated page); Figma's plugin iframe is not one, so that entry is never fetched and needs no copy.
      wasmPaths['tfjs-backend-wasm-threaded-simd.wasm'] = wasmPaths['tfjs-backend-wasm-simd.wasm'];
      return { contents: `export default ${JSON.stringify(source)};\nexport const wasmPaths = ${JSON.stringify(wasmPaths)};`, loader: 'js' };
    });
  },
};

/** `import presetImages from 'pastiche:style-presets'`: the style presets as data: URLs (web-bridge's stylePresetsModule). */
const stylePresets = {
  name: 'style-presets',
  setup(b) {
    b.onResolve({ filter: /^pastiche:style-presets$/ }, () => ({ path: 'style-presets', namespace: 'pastiche-presets' }));
    b.onLoad({ filter: /.*/, namespace: 'pastiche-presets' }, async () => {
      const { stylePresetsModule } = await tsImport('@pastiche/web-bridge/build', import.meta.url);
      return { contents: await stylePresetsModule(), loader: 'js' };
    });
  },
};

const common = {
  bundle: true,
  minify: !watch,
  legalComments: 'none',
  logLevel: 'warning',
  logOverride: { 'ignored-bare-import': 'silent' }, // stylize.ts's gradient registration, see above
  plugins: [coreWithoutSideEffects],
};

const mainOptions = {
  ...common,
  entryPoints: [path.join(here, 'src/main/main.ts')],
  outfile: path.join(dist, 'main.js'),
  format: 'iife',
  // Not a browser, but browser builds of dependencies are the ones without Node built-ins.
  platform: 'browser',
  // Figma's sandbox runs modern JavaScript; ES2020 leaves a margin for older desktop apps.
  target: 'es2020',
};

const uiOptions = {
  ...common,
  entryPoints: [path.join(here, 'src/ui/ui.ts')],
  outdir: path.join(dist, 'ui-parts'),
  write: false,
  format: 'iife',
  platform: 'browser',
  target: ['chrome110', 'safari16', 'firefox115'],
  plugins: [coreWithoutSideEffects, engineWorker, stylePresets],
  // Inter's woff2 files (styles.css), inlined: ui.html is the whole UI, with nothing beside it.
  loader: { '.woff2': 'dataurl' },
};

/** Puts the UI's script and CSS into ui.html; `</script` and `<!--` are escaped so that no string ends the script early. */
async function writeUiHtml(result) {
  const js = result.outputFiles.find((f) => f.path.endsWith('.js')).text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
  const css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  const template = await readFile(path.join(here, 'src/ui/ui.html'), 'utf8');
  const html = template
    .replace('<!-- build.mjs inlines the bundled CSS here -->', () => `<style>\n${css}</style>`)
    .replace('<!-- build.mjs inlines the bundled script here -->', () => `<script>\n${js}</script>`);
  // Written aside and renamed: a test reading ui.html while another build runs never sees half a file.
  const temporary = path.join(dist, `ui.html.${process.pid}.tmp`);
  await writeFile(temporary, html);
  await rename(temporary, path.join(dist, 'ui.html'));
  return html.length;
}

await mkdir(dist, { recursive: true });
if (watch) {
  const mainContext = await context(mainOptions);
  const uiContext = await context({ ...uiOptions, plugins: [...uiOptions.plugins, { name: 'inline', setup: (b) => b.onEnd(async (r) => void (r.outputFiles && (await writeUiHtml(r)))) }] });
  await Promise.all([mainContext.watch(), uiContext.watch()]);
  console.log('watching src/ for changes…');
} else {
  await build(mainOptions);
  const size = await writeUiHtml(await build(uiOptions));
  console.log(`dist/main.js, dist/ui.html (${(size / 1e6).toFixed(1)} MB)`);
}
