import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_BACKENDS, TFJS_BACKENDS } from '../src/inPage/protocol.ts';
import { checkWebglVersion } from '../src/worker/tfjs/checkWebglVersion.ts';

test('the worker tries core\'s browser engines in order; a worker without ONNX Runtime, the TensorFlow.js ones', () => {
  assert.deepEqual(DEFAULT_BACKENDS, ['onnx-webgpu', 'webgl', 'wasm', 'cpu']);
  assert.deepEqual(TFJS_BACKENDS, ['webgl', 'wasm', 'cpu']);
});

// worker/tfjs reads the WebGL backend's context, which is not tfjs's public API: an upgrade fails here first.
test('the bundled tfjs-backend-webgl is the version worker/tfjs was written for', () => {
  assert.match(checkWebglVersion(), /^@tensorflow\/tfjs-backend-webgl 4\.22\.\d+$/);
});
