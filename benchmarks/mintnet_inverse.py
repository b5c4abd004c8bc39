"""MintNet's fixed-point inverse: per-sample stopping (cage_nb's) against stopping the whole batch.

    python benchmarks/mintnet_inverse.py [--n 256] [--repeats 3] [--threads 1]

Encodes `n` held-out digits of the synthetic Morpho-MNIST SCM with the shipped toy MintNet, then
decodes their latents two ways in the same process, alternating runs:

- `batch-wide`: the loop as the MintNet paper states it: every sample of a batch is updated until
  the largest residual in the batch is below `tol` (or `max_iter` is reached);
- `per-sample`: `MintNet.inverse` as shipped: a sample stops at its own tolerance (or when it has
  sat at float precision, under 10·tol, for `patience` iterations), and only the samples still
  moving are evaluated.

Prints a markdown table: median seconds per decode of the batch, the summed block iterations,
and the largest and 99.9th-percentile pixel error of decode(encode(x)) against x.
"""
import argparse, statistics, time
import torch
from cage_nb.morpho import MorphoConfig, shipped_model
from cage_nb.digits import make_morpho_scm
from cage_nb.mintnet import unsqueeze2d, inverse_logit

@torch.no_grad()
def batch_wide_inverse(net, z):
    "The reference loop: all samples iterate until the batch's largest residual is below tol."
    c = net.cfg
    x, iters = z.reshape(z.shape[0], *net.out_shape), []
    for k in reversed(range(len(net.blocks))):
        blk, zk = net.blocks[k], x
        x = zk / blk.scale()
        for it in range(c.max_iter):
            y, diag = blk.evaluate(x)
            r = zk - y
            if not r.abs().max().item() > c.tol: break
            x = x + r / (c.newton_lr * diag)
        else: it = c.max_iter
        iters.append(it)
        if k in net.squeeze_at: x = unsqueeze2d(x)
    return x, sum(iters)

def to_pixels(w, net): return (inverse_logit(w, net.cfg.lam) * 256 - 0.5).clamp(0, 255)[:, 0]

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = MorphoConfig()
    lm = shipped_model(cfg)
    net = lm.model
    held = make_morpho_scm(cfg.source, a.n, seed=cfg.seed + 1, variant=cfg.variant, split="test",
                           progress=False)
    x = torch.as_tensor(held.images).float()
    z = lm.encode(x)
    runs = {"batch-wide": lambda: batch_wide_inverse(net, z),
            "per-sample": lambda: (net.inverse(z), sum(net.last_inverse["iters"]))}
    times = {k: [] for k in runs}
    out = {}
    for _ in range(a.repeats):
        for k, f in runs.items():
            t = time.perf_counter()
            w, its = f()
            times[k].append(time.perf_counter() - t)
            out[k] = (w, its)
    print(f"toy MintNet (newton_lr {net.cfg.newton_lr}, tol {net.cfg.tol}), {a.n} encoded held-out "
          "digits, "
          f"{a.threads} thread(s), median of {a.repeats}\n")
    print("| inverse | seconds | block iterations | max pixel error | 99.9% pixel error "
          "|\n|---|---|---|---|---|")
    for k, (w, its) in out.items():
        e = (to_pixels(w, net) - x).abs().flatten()
        print(f"| {k} | {statistics.median(times[k]):.2f} | {its} | {e.max():.3f} | "
              f"{e.quantile(0.999):.4f} |")
    print("\nspeed-up (batch-wide / per-sample): "
          f"{statistics.median(times['batch-wide']) / statistics.median(times['per-sample']):.2f}x")
