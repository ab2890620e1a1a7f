import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'node:test';

// scripts/install-onnxruntime-cuda.mjs and backend/onnxruntime/loadOnnxRuntime.ts rely on how onnxruntime-node 1.30
// lays out its package: its install script's path and flag, and where the provider libraries go. An
// upgrade must fail here first.
test('onnxruntime-node is the version whose layout the CUDA install and probe rely on', () => {
  const require = createRequire(import.meta.url);
  const packageDir = path.dirname(require.resolve('onnxruntime-node/package.json'));
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  assert.equal(version, '1.30.0');
  const installScript = readFileSync(path.join(packageDir, 'script/install.js'), 'utf8');
  assert.match(installScript, /ONNXRUNTIME_NODE_INSTALL/);
  assert.ok(existsSync(path.join(packageDir, 'bin/napi-v6', process.platform, process.arch)), 'bin/napi-v6/<platform>/<arch> holds the binding');
  const metadata = readFileSync(path.join(packageDir, 'script/install-metadata.js'), 'utf8');
  assert.match(metadata, /'\.\/libonnxruntime_providers_cuda\.so'/, 'the CUDA provider is installed beside the binding');
});
