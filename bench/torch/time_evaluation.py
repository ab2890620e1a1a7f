"""Time one VGG loss+gradient evaluation in PyTorch (float32, CPU), per image size.

An evaluation = forward a random VGG-preprocessed image [1, S, S, 3] to the deepest
requested layer, a scalar loss using every requested layer (squared Frobenius norm
of its Gram matrix F^T F plus squared norm of the feature map, both normalised),
and backward to the input only (weights never need gradients). After one warm-up
evaluation, `--repeats` evaluations are timed; msPerEvaluation is their median wall
time (cpuMsPerEvaluation: median process CPU time over all threads, a hint when the
machine is shared with other work).
Each size runs in a fresh subprocess so peakRssMB (ru_maxrss) belongs to that size.

    python3 time_evaluation.py --weights /tmp/vgg16-synth --sizes 128,256 --threads 2 \\
        --layers block1_conv2,block2_conv2,block3_conv3,block4_conv3,block5_conv3
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import torch

from vgg_layers_format import load_vgg

MEANS = torch.tensor([103.939, 116.779, 123.68])  # BGR ImageNet means


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def measure(a, size):
    torch.set_num_threads(a.threads)
    vgg = load_vgg(a.weights, pooling=a.pooling)
    layers = list(dict.fromkeys(a.layers.split(",")))
    torch.manual_seed(a.seed)
    image = torch.rand(1, size, size, 3) * 255.0 - MEANS
    baseline = rss_mb()

    def evaluate():
        x = image.clone().requires_grad_(True)
        loss = 0.0
        for f in vgg(x, layers).values():
            f = f.reshape(-1, f.shape[-1])
            n = f.numel()
            loss = loss + ((f.t() @ f) ** 2).sum() / n ** 2 + (f ** 2).sum() / n
        loss.backward()
        if not torch.isfinite(loss) or not torch.isfinite(x.grad).all():
            raise RuntimeError("non-finite loss or gradient")
        return x.grad

    evaluate()  # warm-up
    times, cpu = [], []
    for _ in range(a.repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        evaluate()
        times.append((time.perf_counter() - t0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
    return {"size": size, "msPerEvaluation": round(statistics.median(times), 2),
            "msAll": [round(t, 2) for t in times], "cpuMsPerEvaluation": round(statistics.median(cpu), 2),
            "peakRssMB": round(rss_mb(), 1),
            "baselineRssMB": round(baseline, 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", required=True, help="tfjs layers-format VGG folder")
    ap.add_argument("--sizes", default="128,256,512", help="comma-separated square image sizes")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    ap.add_argument("--layers", required=True, help="comma-separated layer names (the deepest sets the depth)")
    ap.add_argument("--repeats", type=int, default=3, help="timed evaluations per size (after 1 warm-up)")
    ap.add_argument("--pooling", choices=["max", "avg"], default="max")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--one-size", type=int, help=argparse.SUPPRESS)  # internal: run one size in this process
    a = ap.parse_args()

    if a.one_size:
        print(json.dumps(measure(a, a.one_size)))
        return
    results = []
    for size in (int(s) for s in a.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, *sys.argv[1:], "--one-size", str(size)],
                             check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    print(json.dumps({"torch": torch.__version__, "threads": a.threads, "results": results}))


if __name__ == "__main__":
    main()
