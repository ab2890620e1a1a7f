"""An independent float64 reference for the Wasserstein-2 style loss (docs/style-loss.md), written as a fixture.

The objective of packages/core/src/objective/objective.ts with `styleLoss: 'wasserstein'` and the scale-invariant
normalisation, on the real VGG16 blocks 1-3 weights, in float64, the gradient by PyTorch's autograd, nothing taken
from the TypeScript. Per style layer, C channels:

  mu = sum(m^2 F)/d,  S = (mF)(mF)^T/d,  Sigma = S - mu mu^T + eps I,  d = positions * mean(m^2)
  L  = s * (|mu - mu_t|^2 + tr(Sigma + Sigma_t - 2 (Sigma_t^1/2 Sigma Sigma_t^1/2)^1/2)) / C

with the target mu_t, Sigma_t the blend of the region's styles' raw moments (mu and S weighted by blend weight),
eps = 1e-4 * tr(Sigma_t)/C added to both, s = style weight * layer weight * region weight; content and TV terms as
the scale-invariant normalisation has them. The square roots are taken by an eigendecomposition (torch.linalg.eigh:
tr P^1/2 = sum sqrt(lambda), d/dP = P^-1/2 / 2), so the loss is the true W2 distance. The fixture keeps each
case's terms and gradient (float32 binary, NHWC, every `stride`-th value); the inputs are closed-form (`pattern`,
mirrored in the test).

  /tmp/w2venv/bin/python bench/torch/wasserstein_reference.py --weights ../shared/models/vgg16 \
      --out packages/core/test/fixtures/wasserstein-reference
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from vgg_layers_format import load_vgg

SETTINGS = {
    "pooling": "avg",
    "contentLayers": ["block2_conv2"],
    "styleLayers": ["block1_conv2", "block2_conv2", "block3_conv3"],
    "styleLayerWeights": [0.2, 0.3, 0.5],
    "contentWeight": 0.01,
    "styleWeight": 1,
    "tvWeight": 0.01,
}
COVARIANCE_EPSILON = 1e-4

# Images by (height, width, seed); a style's mask is `left` (1 on the left half of the content, 0.3 elsewhere).
CASES = [
    {"name": "64x64", "height": 64, "width": 64, "content": 1, "x": 4,
     "styles": [{"height": 70, "width": 60, "seed": 2, "weight": 1}], "stride": 1},
    {"name": "200x152", "height": 152, "width": 200, "content": 1, "x": 4,
     "styles": [{"height": 120, "width": 90, "seed": 2, "weight": 0.7},
                {"height": 80, "width": 100, "seed": 3, "weight": 0.3, "mask": "left"}], "stride": 1},
    # The gradient at 256 px is kept at every 17th value (a prime: every channel and column is sampled).
    {"name": "256x256", "height": 256, "width": 256, "content": 1, "x": 4,
     "styles": [{"height": 200, "width": 240, "seed": 2, "weight": 0.6}, {"height": 150, "width": 150, "seed": 3, "weight": 0.4}],
     "stride": 17},
]


def pattern(height, width, seed):
    """A VGG input [H, W, 3] in about [-100, 100]: smooth and fine waves, rounded to float32 as the engines take it."""
    y = np.arange(height, dtype=np.float64)[:, None, None]
    x = np.arange(width, dtype=np.float64)[None, :, None]
    c = np.arange(3, dtype=np.float64)[None, None, :]
    v = (60 * np.sin(0.21 * (seed + 1) * y + 0.13 * x + 1.7 * c + seed)
         + 30 * np.sin(0.57 * x - 0.41 * y * (c + 1) / (seed + 1) + 0.3 * seed)
         + 10 * np.cos(1.9 * x + 2.3 * y + c))
    return v.astype(np.float32)


def left_mask(height, width):
    return np.where(np.arange(width)[None, :] < width / 2, 1.0, 0.3) * np.ones((height, 1))


class TraceSqrt(torch.autograd.Function):
    """tr P^1/2 of a symmetric positive semi-definite P by its eigenvalues; d/dP = P^-1/2 / 2."""

    @staticmethod
    def forward(ctx, p):
        lam, v = torch.linalg.eigh((p + p.T) / 2)
        lam = lam.clamp_min(0)
        ctx.save_for_backward(lam, v)
        return lam.sqrt().sum()

    @staticmethod
    def backward(ctx, g):
        lam, v = ctx.saved_tensors
        return g * 0.5 * (v * lam.rsqrt()) @ v.T


def eigen_sqrtm(p):
    lam, v = torch.linalg.eigh(p)
    return (v * lam.clamp_min(0).sqrt()) @ v.T


def features(vgg, image):
    """{layer: [C, h, w]} of a [H, W, 3] image."""
    out = vgg(image[None], SETTINGS["contentLayers"] + SETTINGS["styleLayers"])
    return {layer: f[0].permute(2, 0, 1) for layer, f in out.items()}


def layer_masks(vgg, mask):
    """The mask [H, W] at each layer's resolution, average-pooled as the features are."""
    m = mask[None, None]
    out = {}
    for kind, name, _ in vgg.order:
        if kind == "pool":
            m = F.avg_pool2d(m, 2, 2)
        out[name] = m[0, 0]
    return out


def target(styles, layer):
    """The blended style moments' Gaussian at one layer: mu_t, Sigma_t^1/2, tr Sigma_t (eps included), eps."""
    total = sum(s["weight"] for s in styles)
    mean, second = 0, 0
    for s in styles:
        f = s["features"][layer]
        flat = f.reshape(f.shape[0], -1)
        n = flat.shape[1]
        mean = mean + s["weight"] / total * flat.sum(1) / n
        second = second + s["weight"] / total * flat @ flat.T / n
    cov = second - torch.outer(mean, mean)
    c = cov.shape[0]
    eps = COVARIANCE_EPSILON * torch.trace(cov) / c
    cov = cov + eps * torch.eye(c, dtype=cov.dtype)
    return mean, eigen_sqrtm(cov), torch.trace(cov), eps


def objective(vgg, case):
    h, w = case["height"], case["width"]
    t64 = lambda a: torch.from_numpy(np.asarray(a, dtype=np.float64))
    content = features(vgg, t64(pattern(h, w, case["content"])))
    styles = []
    for s in case["styles"]:
        styles.append({**s, "features": features(vgg, t64(pattern(s["height"], s["width"], s["seed"])))})
    # Regions as styleRegions.ts groups them: the unmasked styles together, each masked style alone.
    unmasked = [s for s in styles if "mask" not in s]
    groups = ([unmasked] if unmasked else []) + [[s] for s in styles if "mask" in s]
    total = sum(s["weight"] for s in styles)

    x = t64(pattern(h, w, case["x"])).requires_grad_(True)
    fx = features(vgg, x)
    terms = {}
    content_term = 0
    for layer in SETTINGS["contentLayers"]:
        diff = fx[layer] - content[layer]
        content_term = content_term + SETTINGS["contentWeight"] * (diff * diff).sum() / diff.numel()
    style_term = 0
    for group in groups:
        region_weight = sum(s["weight"] for s in group) / total
        masks = layer_masks(vgg, t64(left_mask(h, w))) if "mask" in group[0] else None
        for layer, layer_weight in zip(SETTINGS["styleLayers"], SETTINGS["styleLayerWeights"]):
            mean_t, root_t, trace_t, eps = target(group, layer)
            f = fx[layer]
            c, fh, fw = f.shape
            m = masks[layer] if masks is not None else torch.ones(fh, fw, dtype=f.dtype)
            d = fh * fw * (m * m).mean()
            mf = (f * m).reshape(c, -1)
            mean = (f * m * m).reshape(c, -1).sum(1) / d
            cov = mf @ mf.T / d - torch.outer(mean, mean) + eps * torch.eye(c, dtype=f.dtype)
            dist = ((mean - mean_t) ** 2).sum() + torch.trace(cov) + trace_t - 2 * TraceSqrt.apply(root_t @ cov @ root_t)
            style_term = style_term + SETTINGS["styleWeight"] * layer_weight * region_weight * dist / c
    a = x[:-1, :-1] - x[1:, :-1]
    b = x[:-1, :-1] - x[:-1, 1:]
    tv_term = SETTINGS["tvWeight"] * ((a * a + b * b) ** 1.25).sum() / ((h - 1) * (w - 1))
    total_loss = content_term + style_term + tv_term
    total_loss.backward()
    terms = {"content": content_term.item(), "style": style_term.item(), "tv": tv_term.item()}
    gradient = x.grad.numpy().reshape(-1)
    return terms, gradient, float(np.linalg.norm(gradient))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weights", required=True, help="the tfjs layers-format VGG16 folder (blocks 1-3 suffice)")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    vgg = load_vgg(a.weights, pooling=SETTINGS["pooling"], dtype=torch.float64)
    os.makedirs(a.out, exist_ok=True)
    cases = []
    for case in CASES:
        terms, gradient, norm = objective(vgg, case)
        file = f"{case['name']}.gradient.f32"
        gradient[:: case["stride"]].astype("<f4").tofile(os.path.join(a.out, file))
        cases.append({**case, "terms": terms, "gradientNorm": norm, "gradient": file})
        print(json.dumps({"case": case["name"], **terms, "gradientNorm": norm}), flush=True)
    with open(os.path.join(a.out, "cases.json"), "w") as f:
        json.dump({"generator": "bench/torch/wasserstein_reference.py", "settings": SETTINGS, "covarianceEpsilon": COVARIANCE_EPSILON,
                   "squareRoots": "eigendecomposition", "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
