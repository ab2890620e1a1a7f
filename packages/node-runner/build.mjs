// Bundles the CLI: our workspace packages (TypeScript sources) are inlined, npm dependencies stay
// external and load from node_modules at run time (tfjs backends find their .wasm files there). The
// Photopea panel that `pastiche serve` serves is built beside it, into dist/photopea.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tsImport } from 'tsx/esm/api';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.optionalDependencies ?? {})].filter((d) => !d.startsWith('@pastiche/'));

// Two entries: the CLI, and the engine process `pastiche serve` forks (found next to the CLI at run time).
await build({
  entryPoints: { pastiche: 'src/cli/main.ts', 'engine-process': 'src/engine/engineProcessMain.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: [...external, '@tensorflow/tfjs', '@sinclair/typebox'],
  sourcemap: 'linked',
  logLevel: 'warning',
});

// The style presets, where web-bridge's stylePresetUrl looks for them once inlined into dist/pastiche.js.
await cp(new URL('./style-presets', import.meta.resolve('@pastiche/web-bridge/presets')), new URL('./dist/style-presets', import.meta.url), { recursive: true });

const { buildPhotopeaPlugin } = await tsImport('@pastiche/photopea-plugin/build', import.meta.url);
await buildPhotopeaPlugin(new URL('./dist/photopea', import.meta.url).pathname, { minify: true });
