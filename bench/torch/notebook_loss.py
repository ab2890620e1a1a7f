"""Reference value and gradient of the Keras neural-style-transfer notebook objective.

Reads DIR/inputs.json:
  {"height": H, "width": W, "contentLayers": [...], "styleLayers": [...],
   "contentWeight": .., "styleWeight": .., "tvWeight": .., ["normalization": "notebook" | "scale-invariant"]
   "content": "content.f32", "style": "style.f32", "combination": "combination.f32"}
each .f32 being raw float32 little-endian [1, H, W, 3], already VGG-preprocessed.

Computed in float64 (model and inputs), or with --dtype float32 to measure float32's own distance from it:
  content = contentWeight * sum_l sum (F_comb - F_content)^2
  style   = sum_l styleWeight/len(styleLayers) * sum (G_style - G_comb)^2 / (4 * 3^2 * (H*W)^2),
            G = F^T F with F flattened to [positions, channels]; H, W = image size
  tv      = tvWeight * sum (dy^2 + dx^2)^1.25 over x[:, :H-1, :W-1, :]
or, with "normalization": "scale-invariant" (the product's default, core/src/objective/normalization.ts), each
sum a mean: content over the layer's values, G divided by the layer's positions and the style sum by C^2, TV over
(H-1)*(W-1).
Writes d(total)/d(combination) to DIR/grad.f32 (or --grad-out) (float32 LE, [1, H, W, 3]) and
prints one JSON line {"content", "style", "tv", "total", "styleByLayer", "gramContrast"}; gramContrast is
||G_comb - G_style|| / ||G_comb|| per style layer: how much a relative error of G_comb grows in G_comb - G_style,
which the style term and its gradient are made of.

With --dtype float32 --flips it also runs float64 in the same process and adds "flips": where float32 takes
another branch than float64 on the combination (per conv, the units whose pre-activation has the other sign;
per max pool, the windows whose first maximum is at another position), and the float32 gradient's relative L2
distance to float64's as it is and with float32 forced along float64's ReLU pattern and pooling choices.
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


def notebook_loss(vgg, cfg, content, style, comb, record=None, force=None):
    h, w = cfg["height"], cfg["width"]
    c_layers, s_layers = cfg["contentLayers"], cfg["styleLayers"]
    invariant = cfg.get("normalization", "notebook") == "scale-invariant"
    layers = list(dict.fromkeys(c_layers + s_layers))
    with torch.no_grad():
        f_content = vgg(content, c_layers)
        f_style = vgg(style, s_layers)
    f_comb = vgg(comb, layers, record=record, force=force)

    def mean_or_sum(t):
        return t.mean() if invariant else t.sum()

    def normalised_gram(f):
        return gram(f) / (f.numel() / f.shape[-1] if invariant else 1)

    content_loss = cfg["contentWeight"] * sum(mean_or_sum((f_comb[l] - f_content[l]) ** 2) for l in c_layers)
    style_by_layer, contrast = {}, {}
    for l in s_layers:
        g_comb, g_style = normalised_gram(f_comb[l]), normalised_gram(f_style[l])
        divisor = g_comb.shape[0] ** 2 if invariant else 4.0 * 3 ** 2 * (h * w) ** 2
        style_by_layer[l] = cfg["styleWeight"] / len(s_layers) * ((g_style - g_comb) ** 2).sum() / divisor
        contrast[l] = ((g_comb - g_style).norm() / g_comb.norm()).item()
    style_loss = sum(style_by_layer.values())
    a = (comb[:, : h - 1, : w - 1, :] - comb[:, 1:, : w - 1, :]) ** 2
    b = (comb[:, : h - 1, : w - 1, :] - comb[:, : h - 1, 1:, :]) ** 2
    tv_loss = cfg["tvWeight"] * ((a + b) ** 1.25).sum() / ((h - 1) * (w - 1) if invariant else 1)
    return content_loss, style_loss, tv_loss, style_by_layer, contrast


def gradient(vgg, cfg, img, record=None, force=None):
    """The terms and d(total)/d(combination) of one run; record/force as VGGFeatures.forward takes them."""
    comb = img["combination"].clone().requires_grad_(True)
    content, style, tv, by_layer, contrast = notebook_loss(vgg, cfg, img["content"], img["style"], comb, record, force)
    total = content + style + tv
    total.backward()
    return (content, style, tv, total, by_layer, contrast), comb.grad


def relative_l2(a, b):
    a, b = a.double(), b.double()
    return ((a - b).norm() / b.norm()).item()


def flips(weights, pooling, cfg, img32, grad32, pattern32):
    """Where float32 branches otherwise than float64 on the combination, and what that costs the gradient."""
    vgg64 = load_vgg(weights, pooling=pooling, dtype=torch.float64)
    img64 = {k: v.to(torch.float64) for k, v in img32.items()}
    pattern64 = {}
    _, grad64 = gradient(vgg64, cfg, img64, record=pattern64)
    vgg32 = load_vgg(weights, pooling=pooling, dtype=torch.float32)
    _, forced = gradient(vgg32, cfg, img32, force=pattern64)
    relu, pools = {}, {}
    for name, p64 in pattern64.items():
        p32 = pattern32[name]
        if p64.is_floating_point():
            changed = (p32 > 0) != (p64 > 0)
            margin = p64.abs()[changed]
            relu[name] = {"units": p64.numel(), "signChanges": int(changed.sum()),
                          "largestFloat64Magnitude": margin.max().item() if margin.numel() else None}
        else:
            pools[name] = {"windows": p64.numel(), "argmaxChanges": int((p32 != p64).sum())}
    return {"relu": relu, "maxPool": pools, "gradientRelativeL2": relative_l2(grad32, grad64),
            "forcedGradientRelativeL2": relative_l2(forced, grad64)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="tfjs layers-format VGG folder (model.json + .bin)")
    ap.add_argument("--inputs", required=True, help="folder with inputs.json and the .f32 images; grad.f32 is written here")
    ap.add_argument("--pooling", choices=["max", "avg"], default="max", help="pooling type (default max)")
    ap.add_argument("--dtype", choices=["float64", "float32"], default="float64",
                    help="float64: the reference; float32: how far float32 arithmetic itself lands from it")
    ap.add_argument("--grad-out", default="grad.f32", help="gradient file name in --inputs (default grad.f32)")
    ap.add_argument("--flips", action="store_true",
                    help="with --dtype float32: also run float64 and report where float32 branches otherwise")
    a = ap.parse_args()
    if a.flips and a.dtype != "float32":
        ap.error("--flips compares a float32 run with float64: use it with --dtype float32")

    with open(os.path.join(a.inputs, "inputs.json")) as f:
        cfg = json.load(f)
    h, w = cfg["height"], cfg["width"]
    dtype = getattr(torch, a.dtype)
    img = {k: read_image(os.path.join(a.inputs, cfg[k]), h, w, dtype) for k in ("content", "style", "combination")}
    vgg = load_vgg(a.weights, pooling=a.pooling, dtype=dtype)

    pattern = {} if a.flips else None
    (content, style, tv, total, by_layer, contrast), grad = gradient(vgg, cfg, img, record=pattern)
    grad.numpy().astype("<f4").tofile(os.path.join(a.inputs, a.grad_out))
    out = {"content": content.item(), "style": style.item(), "tv": tv.item(), "total": total.item(),
           "styleByLayer": {l: v.item() for l, v in by_layer.items()}, "gramContrast": contrast}
    if a.flips:
        out["flips"] = flips(a.weights, a.pooling, cfg, img, grad, pattern)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
