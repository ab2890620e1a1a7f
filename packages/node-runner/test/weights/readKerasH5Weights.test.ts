import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import h5wasm from 'h5wasm/node';
import { readKerasH5Weights } from '../../src/weights/readKerasH5Weights.ts';
import { makeTempDir, readSharedModel, writeKerasH5FromLayersModel } from './fixtures.ts';

type Topology = { model_config: { config: { layers: Array<{ class_name: string; name: string; config: Record<string, unknown> }>; output_layers: unknown } } };

for (const model of ['vgg16', 'vgg19'] as const) {
  test(`${model}: a Keras .h5 with old weight names reads back byte for byte`, async (t) => {
    const dir = await makeTempDir(t);
    const file = path.join(dir, `${model}_weights_tf_dim_ordering_tf_kernels_notop.h5`);
    await writeKerasH5FromLayersModel(model, file, 'old');
    const original = await readSharedModel(model);

    const source = await readKerasH5Weights(file);

    assert.equal(source.kind, 'memory');
    assert.deepEqual(source.modelJson.weightsManifest, original.modelJson.weightsManifest);
    assert.equal(source.weightData.byteLength, original.weightBytes.byteLength);
    assert.ok(Buffer.from(source.weightData).equals(Buffer.from(original.weightBytes)), 'weight bytes differ');

    const topology = source.modelJson.modelTopology as Topology;
    const summary = (layers: Array<{ class_name: string; name: string }>) => layers.map((l) => `${l.class_name}:${l.name}`);
    assert.deepEqual(summary(topology.model_config.config.layers), summary(original.modelJson.modelTopology.model_config.config.layers));
    assert.deepEqual(topology.model_config.config.output_layers, [['block3_pool', 0, 0]]);
    const conv = topology.model_config.config.layers.find((l) => l.name === 'block3_conv1')!;
    assert.equal(conv.config.filters, 256);
    assert.equal(conv.config.padding, 'same');
    assert.equal(conv.config.activation, 'relu');
  });
}

test('vgg16: known reference values survive the round trip', async (t) => {
  const dir = await makeTempDir(t);
  const file = path.join(dir, 'vgg16_notop.h5');
  await writeKerasH5FromLayersModel('vgg16', file, 'old');
  const { weightData, modelJson } = await readKerasH5Weights(file);
  const floats = new Float32Array(weightData);
  assert.equal(floats[0], Math.fround(0.42947057)); // block1_conv1 kernel[0,0,0,0]
  const biasOffset = 3 * 3 * 3 * 64;
  assert.deepEqual(modelJson.weightsManifest[0].weights[1], { name: 'block1_conv1/bias', shape: [64], dtype: 'float32' });
  assert.equal(floats[biasOffset + 25], Math.fround(0.7446502)); // block1_conv1 bias[25]
});

test('newer nested weight names (block1_conv1/kernel:0) read the same bytes', async (t) => {
  const dir = await makeTempDir(t);
  const file = path.join(dir, 'new.h5');
  await writeKerasH5FromLayersModel('vgg16', file, 'new');
  const original = await readSharedModel('vgg16');
  const source = await readKerasH5Weights(file);
  assert.ok(Buffer.from(source.weightData).equals(Buffer.from(original.weightBytes)));
});

test('a file that is not HDF5 is rejected, naming the file', async (t) => {
  const dir = await makeTempDir(t);
  const file = path.join(dir, 'fake.h5');
  await writeFile(file, '<html>Not Found</html>');
  await assert.rejects(readKerasH5Weights(file), (err: Error) => {
    assert.match(err.message, /fake\.h5/);
    assert.match(err.message, /not an HDF5 file/);
    return true;
  });
});

test('a missing file is rejected, naming it', async (t) => {
  const dir = await makeTempDir(t);
  await assert.rejects(readKerasH5Weights(path.join(dir, 'nope.h5')), /nope\.h5 does not exist/);
});

test('HDF5 without layer_names is rejected, naming the file and the attribute', async (t) => {
  const dir = await makeTempDir(t);
  const file = path.join(dir, 'plain.h5');
  await h5wasm.ready;
  const f = new h5wasm.File(file, 'w');
  f.create_dataset({ name: 'x', data: new Float32Array([1, 2]), dtype: '<f' });
  f.close();
  await assert.rejects(readKerasH5Weights(file), (err: Error) => {
    assert.match(err.message, /plain\.h5/);
    assert.match(err.message, /layer_names/);
    return true;
  });
});

test('a layer listed in layer_names without its group, or with a missing dataset, is named in the error', async (t) => {
  const dir = await makeTempDir(t);
  await h5wasm.ready;
  const noGroup = path.join(dir, 'nogroup.h5');
  let f = new h5wasm.File(noGroup, 'w');
  f.create_attribute('layer_names', ['block1_conv1'], null, 'S12');
  f.close();
  await assert.rejects(readKerasH5Weights(noGroup), /nogroup\.h5.*'block1_conv1'.*group is missing/);

  const noData = path.join(dir, 'nodata.h5');
  f = new h5wasm.File(noData, 'w');
  f.create_attribute('layer_names', ['block1_conv1'], null, 'S12');
  f.create_group('block1_conv1').create_attribute('weight_names', ['block1_conv1_W_1:0', 'block1_conv1_b_1:0'], null, 'S18');
  f.close();
  await assert.rejects(readKerasH5Weights(noData), /nodata\.h5.*block1_conv1_W_1:0.*no such dataset/);
});

test('a kernel that is not (3,3,in,out) is rejected with the shapes', async (t) => {
  const dir = await makeTempDir(t);
  const file = path.join(dir, 'badshape.h5');
  await h5wasm.ready;
  const f = new h5wasm.File(file, 'w');
  f.create_attribute('layer_names', ['block1_conv1'], null, 'S12');
  const g = f.create_group('block1_conv1');
  g.create_attribute('weight_names', ['block1_conv1_W_1:0', 'block1_conv1_b_1:0'], null, 'S18');
  g.create_dataset({ name: 'block1_conv1_W_1:0', data: new Float32Array(5 * 5 * 3 * 4), shape: [5, 5, 3, 4], dtype: '<f' });
  g.create_dataset({ name: 'block1_conv1_b_1:0', data: new Float32Array(4), shape: [4], dtype: '<f' });
  f.close();
  await assert.rejects(readKerasH5Weights(file), /badshape\.h5.*block1_conv1.*\[5,5,3,4\].*expected \[3,3,3,out\]/);
});
