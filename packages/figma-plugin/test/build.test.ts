import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { ORT_WEB_BINARIES, ORT_WEB_ORIGIN } from '../../web-bridge/src/inPage/ortWebBinaries.ts';

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
  assert.ok(html.includes(JSON.stringify(ORT_WEB_BINARIES)), 'ONNX Runtime\'s binary is fetched from ORT_WEB_BINARIES');
  assert.ok(html.length < 3_000_000, `ui.html is ${html.length} bytes (ONNX Runtime's 27 MB binary must not be inlined)`);
  assert.equal(html.indexOf('</script>'), html.lastIndexOf('</script>'), 'no string in the script ends it early');

  assert.deepEqual(manifest.editorType, ['figma']);
  assert.equal(manifest.documentAccess, 'dynamic-page');
  const [runner, cdn] = [/^http:\/\/(127\.0\.0\.1|localhost):7878$/, ORT_WEB_ORIGIN];
  assert.ok(manifest.networkAccess.allowedDomains.every((d: string) => runner.test(d) || d === cdn), 'only the runner on this machine, and where ONNX Runtime\'s binary comes from');
  assert.ok(manifest.networkAccess.allowedDomains.includes(ORT_WEB_ORIGIN), `the manifest allows ${ORT_WEB_ORIGIN} (ORT_WEB_BINARIES)`);
  assert.ok(manifest.networkAccess.reasoning.length > 20);
  assert.deepEqual(manifest.relaunchButtons.map((b: { command: string }) => b.command), ['open', 'restylize']);
});
