"""MintNet's fixed-point inverse: per-sample stopping (cage_nb's), the batch-wide loop, and
Anderson acceleration, side by side.

    python benchmarks/mintnet_inverse.py [--n 256] [--repeats 3] [--threads 1] [--memory 2 3 5]
                                         [--newton-lr A]

Encodes `n` held-out digits of the synthetic Morpho-MNIST SCM with the shipped toy MintNet, then
decodes their latents in the same process, alternating runs:

- `batch-wide`: the loop as the MintNet paper states it: every sample of a batch is updated until
  the largest residual in the batch is below `tol` (or `max_iter` is reached);
- `per-sample`: `MintNet.inverse` as shipped: a sample stops at its own tolerance (or when it has
  sat at float precision, under 10·tol, for `patience` iterations), and only the samples still
  moving are evaluated;
- `anderson m=k`: the same per-sample loop, with each plain step x + r/(α·diag J) replaced by the
  Anderson (type II) combination of the last k+1 plain steps, per sample, with a restart of a
  sample's history whenever its residual more than doubles.

Prints a markdown table: median seconds per decode of the batch, block evaluations per sample
(one evaluation is one forward pass of one block on one sample; the measure the Anderson goal is
stated in), the summed per-block iteration counts, and the largest and 99.9th-percentile pixel
error of decode(encode(x)) against x.
"""
import argparse, math, statistics, time
import torch
from cage_nb.morpho import MorphoConfig, shipped_model
from cage_nb.digits import make_morpho_scm
from cage_nb.mintnet import unsqueeze2d, inverse_logit

class Counter:
    "Wraps each block's `evaluate` to count block evaluations, one per sample."
    def __init__(self, net):
        self.n = 0
        for blk in net.blocks:
            blk.evaluate = self.wrap(blk.evaluate)

    def wrap(self, f):
        def counted(x):
            self.n += len(x)
            return f(x)
        return counted

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

def anderson_mix(f, g, dF, dG, valid, reg=1e-10):
    """Type-II Anderson step for a batch: γ = argmin ‖f − ΔF γ‖ (ridge `reg`·tr, float64), then
    g − ΔG γ. `dF`, `dG` are n × m × d histories; `valid` (n × m) marks the filled columns."""
    Fv = dF * valid[..., None]
    A = (Fv @ Fv.transpose(1, 2)).double()
    b = (Fv @ f[..., None]).double()
    eye = torch.eye(A.shape[1], dtype=A.dtype)
    ridge = reg * A.diagonal(dim1=1, dim2=2).sum(1).clamp_min(1e-300)
    A = A + ridge[:, None, None] * eye + (~valid).to(A.dtype)[..., None] * eye
    gamma = torch.linalg.solve(A, b).to(f.dtype)
    return g - ((dG * valid[..., None]).transpose(1, 2) @ gamma)[..., 0]

@torch.no_grad()
def anderson_block(blk, z, m, lr, max_iter, tol, patience=8):
    "Invert one block by Anderson-accelerated fixed-point iteration, with per-sample stopping."
    x = z / blk.scale()
    n, d = x.shape[0], x[0].numel()
    dF, dG = x.new_zeros(n, m, d), x.new_zeros(n, m, d)
    f_prev, g_prev = x.new_zeros(n, d), x.new_zeros(n, d)
    filled = torch.zeros(n, dtype=torch.long)
    res_prev = torch.full((n,), math.inf, dtype=x.dtype)
    best = torch.full((n,), math.inf, dtype=x.dtype)
    since = torch.zeros(n, dtype=torch.long)
    active = torch.arange(n)
    for it in range(max_iter + 1):
        xa = x[active]
        y, diag = blk.evaluate(xa)
        r = z[active] - y
        res = r.abs().flatten(1).amax(1)
        improved = res < 0.9 * best[active]
        best[active] = torch.where(improved, res, best[active])
        since[active] = torch.where(improved, 0, since[active] + 1)
        done = ~(res > tol) | ((since[active] >= patience) & (best[active] < 10 * tol))
        if it == max_iter: break
        f = (r / (lr * diag)).flatten(1)
        g = xa.flatten(1) + f
        restart = res > 2 * res_prev[active]
        push = ~restart & (res_prev[active] < math.inf)
        slot = it % m
        dF[active[push], slot] = f[push] - f_prev[active[push]]
        dG[active[push], slot] = g[push] - g_prev[active[push]]
        h = torch.where(restart, 0, filled[active])
        h = torch.where(push, (h + 1).clamp_max(m), h)
        age = (slot - torch.arange(m)) % m
        step = anderson_mix(f, g, dF[active], dG[active], age[None, :] < h[:, None])
        f_prev[active], g_prev[active] = f, g
        filled[active], res_prev[active] = h, res
        keep = ~done
        x[active[keep]] = step[keep].view(-1, *x.shape[1:])
        active = active[keep]
        if not len(active): break
    return x, it

@torch.no_grad()
def anderson_inverse(net, z, m):
    "The whole network inverted block by block with `anderson_block`."
    c = net.cfg
    x, iters = z.reshape(z.shape[0], *net.out_shape), []
    for k in reversed(range(len(net.blocks))):
        x, it = anderson_block(net.blocks[k], x, m, c.newton_lr, c.max_iter, c.tol)
        iters.append(it)
        if k in net.squeeze_at: x = unsqueeze2d(x)
    return x, sum(iters)

def to_pixels(w, net): return (inverse_logit(w, net.cfg.lam) * 256 - 0.5).clamp(0, 255)[:, 0]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--memory", type=int, nargs="*", default=[2, 3, 5])
    ap.add_argument("--newton-lr", type=float, default=None,
                    help="damping α of every loop (default: the shipped model's, 1.0)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = MorphoConfig()
    lm = shipped_model(cfg)
    net = lm.model
    if a.newton_lr is not None: net.cfg.newton_lr = a.newton_lr
    held = make_morpho_scm(cfg.source, a.n, seed=cfg.seed + 1, variant=cfg.variant, split="test",
                           progress=False)
    x = torch.as_tensor(held.images).float()
    z = lm.encode(x)
    count = Counter(net)
    runs = {"batch-wide": lambda: batch_wide_inverse(net, z),
            "per-sample": lambda: (net.inverse(z), sum(net.last_inverse["iters"]))}
    for m in a.memory:
        runs[f"anderson m={m}"] = lambda m=m: anderson_inverse(net, z, m)
    times, evals, out = {k: [] for k in runs}, {}, {}
    for _ in range(a.repeats):
        for k, f in runs.items():
            count.n = 0
            t = time.perf_counter()
            out[k] = f()
            times[k].append(time.perf_counter() - t)
            evals[k] = count.n / a.n
    print(f"toy MintNet (newton_lr {net.cfg.newton_lr}, tol {net.cfg.tol}), {a.n} encoded "
          f"held-out digits, {a.threads} thread(s), median of {a.repeats}\n")
    print("| inverse | seconds | block evaluations per sample | block iterations "
          "| max pixel error | 99.9% pixel error |\n|---|---|---|---|---|---|")
    for k, (w, its) in out.items():
        e = (to_pixels(w, net) - x).abs().flatten()
        print(f"| {k} | {statistics.median(times[k]):.2f} | {evals[k]:.1f} | {its} "
              f"| {e.max():.3f} | {e.quantile(0.999):.4f} |")
    base = evals["per-sample"]
    print("\nblock evaluations, per-sample / each: "
          + ", ".join(f"{k} {base / v:.2f}x" for k, v in evals.items()))
    print("speed-up (batch-wide / per-sample): "
          f"{statistics.median(times['batch-wide']) / statistics.median(times['per-sample']):.2f}x")

if __name__ == "__main__":
    main()
