import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';

const root = path.resolve(import.meta.dirname, '..');

test('the build gives Figma what the manifest names: a classic main script and one self-contained HTML file', async () => {
  execFileSync(process.execPath, ['build.mjs'], { cwd: root, stdio: 'pipe' });
  const manifest = JSON.parse(await readFile(path.join(root, 'manifest.json'), 'utf8'));
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
  assert.ok(html.length < 2_150_000, `ui.html is ${html.length} bytes`);
  assert.equal(html.indexOf('</script>'), html.lastIndexOf('</script>'), 'no string in the script ends it early');

  assert.deepEqual(manifest.editorType, ['figma']);
  assert.equal(manifest.documentAccess, 'dynamic-page');
  assert.ok(manifest.networkAccess.allowedDomains.every((d: string) => /^http:\/\/(127\.0\.0\.1|localhost):7878$/.test(d)), 'only the runner on this machine');
  assert.ok(manifest.networkAccess.reasoning.length > 20);
  assert.deepEqual(manifest.relaunchButtons.map((b: { command: string }) => b.command), ['open', 'restylize']);
});
