"""Reference value and gradient of the Keras neural-style-transfer notebook objective.

Reads DIR/inputs.json:
  {"height": H, "width": W, "contentLayers": [...], "styleLayers": [...],
   "contentWeight": .., "styleWeight": .., "tvWeight": ..,
   "content": "content.f32", "style": "style.f32", "combination": "combination.f32"}
each .f32 being raw float32 little-endian [1, H, W, 3], already VGG-preprocessed.

Computed in float64 (model and inputs), or with --dtype float32 to measure float32's own distance from it:
  content = contentWeight * sum_l sum (F_comb - F_content)^2
  style   = sum_l styleWeight/len(styleLayers) * sum (G_style - G_comb)^2 / (4 * 3^2 * (H*W)^2),
            G = F^T F with F flattened to [positions, channels]; H, W = image size
  tv      = tvWeight * sum (dy^2 + dx^2)^1.25 over x[:, :H-1, :W-1, :]
Writes d(total)/d(combination) to DIR/grad.f32 (or --grad-out) (float32 LE, [1, H, W, 3]) and
prints one JSON line {"content", "style", "tv", "total", "styleByLayer"}.
"""
import argparse
import json
import os

import numpy as np
import torch

from vgg_layers_format import load_vgg


def read_image(path, h, w, dtype):
    data = np.fromfile(path, dtype="<f4")
    if data.size != h * w * 3:
        raise ValueError(f"{path}: {data.size} floats, expected {h}*{w}*3")
    return torch.from_numpy(data).reshape(1, h, w, 3).to(dtype)


def gram(f):
    f = f.reshape(-1, f.shape[-1])  # [positions, channels]
    return f.t() @ f


def notebook_loss(vgg, cfg, content, style, comb):
    h, w = cfg["height"], cfg["width"]
    c_layers, s_layers = cfg["contentLayers"], cfg["styleLayers"]
    layers = list(dict.fromkeys(c_layers + s_layers))
    with torch.no_grad():
        f_content = vgg(content, c_layers)
        g_style = {l: gram(f) for l, f in vgg(style, s_layers).items()}
    f_comb = vgg(comb, layers)

    content_loss = cfg["contentWeight"] * sum(((f_comb[l] - f_content[l]) ** 2).sum() for l in c_layers)
    style_by_layer = {
        l: cfg["styleWeight"] / len(s_layers)
        * ((g_style[l] - gram(f_comb[l])) ** 2).sum() / (4.0 * 3 ** 2 * (h * w) ** 2)
        for l in s_layers
    }
    style_loss = sum(style_by_layer.values())
    a = (comb[:, : h - 1, : w - 1, :] - comb[:, 1:, : w - 1, :]) ** 2
    b = (comb[:, : h - 1, : w - 1, :] - comb[:, : h - 1, 1:, :]) ** 2
    tv_loss = cfg["tvWeight"] * ((a + b) ** 1.25).sum()
    return content_loss, style_loss, tv_loss, style_by_layer


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="tfjs layers-format VGG folder (model.json + .bin)")
    ap.add_argument("--inputs", required=True, help="folder with inputs.json and the .f32 images; grad.f32 is written here")
    ap.add_argument("--pooling", choices=["max", "avg"], default="max", help="pooling type (default max)")
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                    help="float64: the reference; float32: how far float32 arithmetic itself lands from it")
    ap.add_argument("--grad-out", default="grad.f32", help="gradient file name in --inputs (default grad.f32)")
    a = ap.parse_args()

    with open(os.path.join(a.inputs, "inputs.json")) as f:
        cfg = json.load(f)
    h, w = cfg["height"], cfg["width"]
    dtype = getattr(torch, a.dtype)
    img = {k: read_image(os.path.join(a.inputs, cfg[k]), h, w, dtype) for k in ("content", "style", "combination")}
    vgg = load_vgg(a.weights, pooling=a.pooling, dtype=dtype)

    comb = img["combination"].requires_grad_(True)
    content, style, tv, by_layer = notebook_loss(vgg, cfg, img["content"], img["style"], comb)
    total = content + style + tv
    total.backward()
    comb.grad.numpy().astype("<f4").tofile(os.path.join(a.inputs, a.grad_out))
    print(json.dumps({"content": content.item(), "style": style.item(), "tv": tv.item(), "total": total.item(),
                      "styleByLayer": {l: v.item() for l, v in by_layer.items()}}))


if __name__ == "__main__":
    main()
