"""Write a synthetic VGG16/VGG19 (no classifier) in TensorFlow.js layers format.

Full Keras topology (InputLayer, ConvND 'same' + relu, MaxPooling2D after each
block) and one `<layer>.bin` per conv layer (HWIO kernel then bias, float32 LE).
Kernels are He-normal (std = sqrt(2 / (3*3*in_channels))), biases zero, so the
activations keep a realistic scale through all blocks. Used for timing only.

    python3 make_synthetic_weights.py /tmp/vgg16-synth vgg16 --seed 0
"""
import argparse
import json
import os

import numpy as np

BLOCKS = {"vgg16": [2, 2, 3, 3, 3], "vgg19": [2, 2, 4, 4, 4]}
FILTERS = [64, 128, 256, 512, 512]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("arch", choices=sorted(BLOCKS))
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    rng = np.random.default_rng(a.seed)

    layers = [{"class_name": "InputLayer", "name": "input_1", "inbound_nodes": [],
               "config": {"batch_input_shape": [None, None, None, 3], "dtype": "float32", "sparse": False, "name": "input_1"}}]
    manifest, prev, cin = [], "input_1", 3
    for b, (n_convs, cout) in enumerate(zip(BLOCKS[a.arch], FILTERS), start=1):
        for c in range(1, n_convs + 1):
            name = f"block{b}_conv{c}"
            kernel = (rng.standard_normal((3, 3, cin, cout)) * np.sqrt(2.0 / (9 * cin))).astype("<f4")
            bias = np.zeros(cout, "<f4")
            with open(os.path.join(a.outdir, name + ".bin"), "wb") as f:
                f.write(kernel.tobytes() + bias.tobytes())
            manifest.append({"paths": [name + ".bin"], "weights": [
                {"name": name + "/kernel", "shape": [3, 3, cin, cout], "dtype": "float32"},
                {"name": name + "/bias", "shape": [cout], "dtype": "float32"}]})
            layers.append({"class_name": "Conv2D", "name": name, "inbound_nodes": [[[prev, 0, 0, {}]]], "config": {
                "name": name, "trainable": False, "dtype": "float32", "filters": cout, "kernel_size": [3, 3],
                "strides": [1, 1], "padding": "same", "data_format": "channels_last", "dilation_rate": [1, 1],
                "activation": "relu", "use_bias": True}})
            prev, cin = name, cout
        name = f"block{b}_pool"
        layers.append({"class_name": "MaxPooling2D", "name": name, "inbound_nodes": [[[prev, 0, 0, {}]]], "config": {
            "name": name, "trainable": False, "dtype": "float32", "pool_size": [2, 2], "padding": "valid",
            "strides": [2, 2], "data_format": "channels_last"}})
        prev = name

    model = {"format": "layers-model", "generatedBy": "bench/torch/make_synthetic_weights.py",
             "convertedBy": f"synthetic He-normal weights, seed {a.seed}",
             "modelTopology": {"keras_version": "2.2.4", "backend": "tensorflow", "model_config": {
                 "class_name": "Model", "config": {"name": f"{a.arch}_synthetic", "layers": layers,
                                                   "input_layers": [["input_1", 0, 0]], "output_layers": [[prev, 0, 0]]}}},
             "weightsManifest": manifest}
    with open(os.path.join(a.outdir, "model.json"), "w") as f:
        json.dump(model, f)


if __name__ == "__main__":
    main()
