/** A layer of a plain (sequential) VGG feature extractor. */
export type VggLayer =
  | { kind: 'conv'; name: string; filters: number }
  | { kind: 'pool'; name: string };

/**
 * Keras functional-model topology (as in a TensorFlow.js layers-format model.json) for
 * input → the given conv/pool layers in order, with VGG's settings: 3×3 "same" ReLU convs, 2×2/2 max pools,
 * input `[null, null, null, 3]`, channels_last. The model's output is the last layer.
 */
export function buildVggLayersTopology(modelName: string, layers: VggLayer[], kerasVersion = '2.2.4'): unknown {
  const inputName = layers.some((l) => l.name === 'input_1') ? 'pastiche_input' : 'input_1';
  const out: unknown[] = [
    {
      class_name: 'InputLayer',
      name: inputName,
      inbound_nodes: [],
      config: { batch_input_shape: [null, null, null, 3], dtype: 'float32', sparse: false, name: inputName },
    },
  ];
  let previous = inputName;
  for (const layer of layers) {
    const inbound_nodes = [[[previous, 0, 0, {}]]];
    if (layer.kind === 'conv') {
      out.push({
        class_name: 'Conv2D',
        name: layer.name,
        inbound_nodes,
        config: {
          name: layer.name, trainable: false, dtype: 'float32', filters: layer.filters,
          kernel_size: [3, 3], strides: [1, 1], padding: 'same', data_format: 'channels_last',
          dilation_rate: [1, 1], activation: 'relu', use_bias: true,
          kernel_initializer: { class_name: 'Zeros', config: {} }, bias_initializer: { class_name: 'Zeros', config: {} },
          kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null,
          kernel_constraint: null, bias_constraint: null,
        },
      });
    } else {
      out.push({
        class_name: 'MaxPooling2D',
        name: layer.name,
        inbound_nodes,
        config: {
          name: layer.name, trainable: false, dtype: 'float32', pool_size: [2, 2], padding: 'valid',
          strides: [2, 2], data_format: 'channels_last',
        },
      });
    }
    previous = layer.name;
  }
  return {
    keras_version: kerasVersion,
    backend: 'tensorflow',
    model_config: {
      class_name: 'Model',
      config: { name: modelName, layers: out, input_layers: [[inputName, 0, 0]], output_layers: [[previous, 0, 0]] },
    },
  };
}
