import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticWeights } from '@pastiche/core/test-support';
import { checkOnnxRuntimeVersion } from '../../src/backend/onnxruntime/checkOnnxRuntimeVersion.ts';
import { checkTfjsVersion } from '../../src/backend/tfjs/checkTfjsVersion.ts';
import { selectBackend } from '../../src/backend/selectBackend.ts';

// backend/onnxruntime and backend/tfjs rely on these libraries beyond their public API (package layout,
// Emscripten's module): upgrading one past the version core's ENGINE_LIBRARIES names fails here first.
test('the installed ONNX Runtime and TensorFlow.js are the versions backend/onnxruntime and backend/tfjs were written for', () => {
  assert.match(checkOnnxRuntimeVersion(), /^onnxruntime-node 1\.30\.\d+$/);
  assert.match(checkTfjsVersion('@tensorflow/tfjs-backend-wasm'), /^@tensorflow\/tfjs-backend-wasm 4\.22\.\d+$/);
  assert.match(checkTfjsVersion('@tensorflow/tfjs-backend-cpu'), /^@tensorflow\/tfjs-backend-cpu 4\.22\.\d+$/);
});

// A checkpoint's identity records Engine.runtime: a run on another library version refuses the checkpoint.
test('the engines Node makes carry the checked library version', async () => {
  for (const [name, runtime] of [['onnx-cpu', checkOnnxRuntimeVersion()], ['cpu', checkTfjsVersion('@tensorflow/tfjs-backend-cpu')]] as const) {
    const engine = await (await selectBackend(name)).createEngine('vgg16', syntheticWeights('vgg16', 'block1_conv1'));
    assert.equal(engine.runtime, runtime, name);
    engine.dispose();
  }
});
