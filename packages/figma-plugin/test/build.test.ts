import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { DEFAULT_RUNNER_URL } from '@pastiche/web-bridge/settings';
import { DEFAULT_WEIGHTS_ORIGIN, DEFAULT_WEIGHTS_PACKAGE, defaultModelUrl } from '@pastiche/web-bridge/weights';

const root = path.resolve(import.meta.dirname, '..');

test('the build gives Figma what the manifest names: a classic main script and one self-contained HTML file', async () => {
  const manifest = JSON.parse(await readFile(path.join(root, 'manifest.json'), 'utf8'));
  // The build `npm test` made: rebuilding here would rewrite dist/ under the browser suites that serve it.
  assert.ok(existsSync(path.join(root, manifest.ui)), `build first (npm run build): ${manifest.ui} is missing`);
  const main = await readFile(path.join(root, manifest.main), 'utf8');
  const html = await readFile(path.join(root, manifest.ui), 'utf8');

  assert.doesNotThrow(() => new Script(main), 'main.js parses as a classic script');
  assert.match(main, /__html__/);
  assert.doesNotMatch(main, /tfjsflags|tensorflowjs/, 'no TensorFlow.js in the sandbox code');
  assert.ok(main.length < 300_000, `main.js is ${main.length} bytes`);

  assert.equal(html.match(/<script>/g)?.length, 1, 'one inline script');
  assert.equal(html.match(/<style>/g)?.length, 1, 'one inline style sheet');
  assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=/, 'nothing loaded from beside the file');
  assert.match(html, /data:application\/wasm;base64,/, 'the wasm fallback is inside');
  // A data: URL page has no WebGPU, so ONNX Runtime Web would never run: the worker is built without it.
  assert.doesNotMatch(html, /ort-wasm-simd-threaded/, 'no ONNX Runtime in the plugin');
  assert.equal(html.match(/data:image\/jpeg;base64,/g)?.length, 4, 'the four style presets are inside');
  // tfjs's WebAssembly binaries are inlined (2.64 MB in all) and the style presets (0.5 MB as base64): a bound
  // well below ONNX Runtime Web's 27 MB.
  assert.ok(html.length < 3_500_000, `ui.html is ${html.length} bytes`);
  assert.equal(html.indexOf('</script>'), html.lastIndexOf('</script>'), 'no string in the script ends it early');

  assert.deepEqual(manifest.editorType, ['figma']);
  assert.equal(manifest.documentAccess, 'dynamic-page');
  // The forms Figma documents: the weights' CDN and the runner as http://localhost:port (not 127.0.0.1).
  assert.deepEqual(manifest.networkAccess.allowedDomains, [DEFAULT_WEIGHTS_ORIGIN, DEFAULT_RUNNER_URL]);
  assert.deepEqual(manifest.networkAccess.devAllowedDomains, [DEFAULT_RUNNER_URL]);
  assert.match(manifest.networkAccess.reasoning, new RegExp(`${DEFAULT_WEIGHTS_PACKAGE.name}.*jsDelivr.*pastiche serve`));
  assert.ok(new URL(defaultModelUrl('vgg16')).href.startsWith(`${DEFAULT_WEIGHTS_ORIGIN}/`));
  assert.deepEqual(manifest.relaunchButtons.map((b: { command: string }) => b.command), ['open', 'restylize', 'refine']);
});
