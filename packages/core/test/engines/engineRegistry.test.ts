import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BROWSER_BACKEND_NAMES, checkLibraryVersion, ENGINES, isHardwareGpu, NODE_BACKEND_NAMES } from '../../src/index.ts';

describe('engine registry', () => {
  test('Node and the browser each get their engines in auto\'s order: a GPU first, then the CPU engines', () => {
    assert.deepEqual(NODE_BACKEND_NAMES, ['onnx-cuda', 'onnx-dml', 'onnx-webgpu', 'onnx-coreml', 'onnx-cpu', 'wasm', 'cpu']);
    assert.deepEqual(BROWSER_BACKEND_NAMES, ['onnx-webgpu', 'webgl', 'wasm', 'cpu']);
  });

  test('a GPU engine on a software adapter is no hardware GPU; CPU engines never are', () => {
    assert.equal(isHardwareGpu({ name: 'onnx-cuda' }), true);
    assert.equal(isHardwareGpu({ name: 'onnx-webgpu', software: true }), false);
    assert.equal(isHardwareGpu({ name: 'onnx-cpu' }), false);
    assert.equal(isHardwareGpu({ name: 'wasm' }), false);
  });

  test('each ONNX Runtime engine in Node names the platforms its provider exists on', () => {
    for (const name of NODE_BACKEND_NAMES) {
      const entry = ENGINES[name];
      if ('provider' in entry) assert.ok(entry.node.platforms.length > 0, name);
    }
  });

  test('a library version other than the one written for is refused, naming both; a patch of it is taken', () => {
    assert.equal(checkLibraryVersion('onnxruntime-node', '1.30.2', 'here'), 'onnxruntime-node 1.30.2');
    assert.throws(() => checkLibraryVersion('onnxruntime-node', '1.31.0', 'here'), /^Error: here was written for onnxruntime-node 1\.30\.x; 1\.31\.0 is installed$/);
    assert.throws(() => checkLibraryVersion('@tensorflow/tfjs-backend-wasm', '4.2.0', 'here'), /written for @tensorflow\/tfjs-backend-wasm 4\.22\.x; 4\.2\.0 is installed/);
  });
});
