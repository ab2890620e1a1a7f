"""Load a VGG16/VGG19 feature extractor from a TensorFlow.js layers-format folder.

The folder holds `model.json` (Keras topology under
`modelTopology.model_config.config.layers`, plus `weightsManifest`) and the
weight files it names. Only Conv2D / MaxPooling2D / AveragePooling2D layers
(and the InputLayer) are understood; the topology decides which layers exist,
so partial models (e.g. blocks 1-3 only) load fine.

Semantics match the TypeScript engine: input is float32 NHWC [1, H, W, 3],
already VGG-preprocessed (BGR minus ImageNet means); each conv is 3x3,
stride 1, 'same' padding, ReLU; pooling is 2x2 stride 2 'valid'. Internally
tensors are NCHW and HWIO kernels become OIHW; returned features are NHWC.

    from vgg_layers_format import load_vgg
    vgg = load_vgg("path/to/vgg16")                  # float32, pooling from model.json
    feats = vgg(x_nhwc, ["block1_conv2", "block3_conv3"])  # {name: [1,h,w,c]}
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

_POOLS = {"MaxPooling2D": "max", "AveragePooling2D": "avg"}


def read_weights(folder, manifest):
    """Return {weight name: numpy array} from a tfjs weightsManifest."""
    out = {}
    for group in manifest:
        buf = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            if w.get("dtype", "float32") != "float32" or "quantization" in w:
                raise ValueError(f"{w['name']}: only unquantised float32 weights are supported")
            count = int(np.prod(w["shape"], dtype=np.int64))
            out[w["name"]] = np.frombuffer(buf, "<f4", count, offset).reshape(w["shape"])
            offset += 4 * count
        if offset != len(buf):
            raise ValueError(f"group {group['paths']}: {len(buf)} bytes, manifest uses {offset}")
    return out


class VGGFeatures(nn.Module):
    """Runs the layers of a VGG up to the deepest requested one."""

    def __init__(self, layers, weights, pooling=None):
        super().__init__()
        self.order = []  # (kind, name, extra) in topology order
        for layer in layers:
            cls, name, cfg = layer["class_name"], layer["config"].get("name", layer.get("name")), layer["config"]
            if cls == "InputLayer":
                continue
            if cls == "Conv2D":
                k = cfg["kernel_size"]
                if tuple(cfg.get("strides", [1, 1])) != (1, 1) or cfg.get("padding") != "same" \
                        or cfg.get("activation") != "relu" or k[0] % 2 == 0 or k[0] != k[1]:
                    raise ValueError(f"{name}: expected odd square kernel, stride 1, 'same', relu")
                kernel = torch.from_numpy(weights[name + "/kernel"].copy())  # HWIO
                bias = weights.get(name + "/bias")
                bias = torch.zeros(kernel.shape[3]) if bias is None else torch.from_numpy(bias.copy())
                self.register_buffer(name + "_w", kernel.permute(3, 2, 0, 1).contiguous())  # OIHW
                self.register_buffer(name + "_b", bias)
                self.order.append(("conv", name, k[0] // 2))
            elif cls in _POOLS:
                size, stride = cfg.get("pool_size", [2, 2]), cfg.get("strides") or cfg.get("pool_size", [2, 2])
                if cfg.get("padding", "valid") != "valid":
                    raise ValueError(f"{name}: only 'valid' pooling is supported")
                self.order.append(("pool", name, (pooling or _POOLS[cls], tuple(size), tuple(stride))))
            else:
                raise ValueError(f"unsupported layer {cls} ({name})")
        self.index = {name: i for i, (_, name, _) in enumerate(self.order)}

    @property
    def layer_names(self):
        return [name for _, name, _ in self.order]

    def forward(self, x, layers, record=None, force=None):
        """x: [N, H, W, 3] NHWC. Returns {layer: NHWC feature tensor}.

        record: a dict filled with each conv's pre-activation (before its ReLU) and each max pool's argmax
        indices, by layer name. force: such a dict from another run (float64's): each ReLU keeps the units that
        were positive there and each max pool takes the positions chosen there, so that a float32 run can be
        differentiated along float64's on/off pattern and pooling choices."""
        missing = [l for l in layers if l not in self.index]
        if missing:
            raise KeyError(f"no such layer {missing}; model has {self.layer_names}")
        last = max(self.index[l] for l in layers)
        x = x.permute(0, 3, 1, 2)
        out = {}
        for kind, name, extra in self.order[: last + 1]:
            if kind == "conv":
                pre = F.conv2d(x, getattr(self, name + "_w"), getattr(self, name + "_b"), padding=extra)
                if record is not None:
                    record[name] = pre.detach()
                x = pre * (force[name] > 0).to(pre.dtype) if force is not None else F.relu(pre)
            else:
                mode, size, stride = extra
                if mode == "max" and (record is not None or force is not None):
                    pooled, indices = F.max_pool2d(x, size, stride, return_indices=True)
                    if record is not None:
                        record[name] = indices
                    if force is not None:
                        chosen = force[name]
                        pooled = x.flatten(2).gather(2, chosen.flatten(2)).view_as(chosen)
                    x = pooled
                else:
                    x = (F.max_pool2d if mode == "max" else F.avg_pool2d)(x, size, stride)
            if name in layers:
                out[name] = x.permute(0, 2, 3, 1)
        return out


def load_vgg(folder, pooling=None, dtype=torch.float32):
    """pooling: None (as in model.json), 'max' or 'avg'."""
    with open(os.path.join(folder, "model.json")) as f:
        model = json.load(f)
    layers = model["modelTopology"]["model_config"]["config"]["layers"]
    net = VGGFeatures(layers, read_weights(folder, model["weightsManifest"]), pooling)
    return net.to(dtype).eval().requires_grad_(False)


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser(description="Print the layers and parameter count of a tfjs layers-format VGG.")
    ap.add_argument("folder")
    a = ap.parse_args()
    net = load_vgg(a.folder)
    print(json.dumps({"layers": net.layer_names, "params": sum(b.numel() for b in net.buffers())}))
