import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { checkLibraryVersion } from '@pastiche/core';
import { ORT_WEB_BINARIES } from '../src/inPage/ortWebBinaries.ts';

test('ONNX Runtime\'s binary is fetched at the version bundled into the worker (glue and .wasm must match)', async () => {
  const installed = JSON.parse(await readFile(path.join(import.meta.dirname, '../../../node_modules/onnxruntime-web/package.json'), 'utf8')).version;
  const declared = JSON.parse(await readFile(path.join(import.meta.dirname, '../package.json'), 'utf8')).dependencies['onnxruntime-web'];
  assert.equal(declared, installed, 'web-bridge pins the exact version it bundles');
  assert.equal(ORT_WEB_BINARIES, `https://cdn.jsdelivr.net/npm/onnxruntime-web@${installed}/dist/`);
  // worker/onnxruntime refuses another version than core's ENGINE_LIBRARIES names: an upgrade fails here first.
  assert.equal(checkLibraryVersion('onnxruntime-web', installed, 'worker/onnxruntime'), `onnxruntime-web ${installed}`);
});
