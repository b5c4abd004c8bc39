"""Does the shipped toy MintNet's own output carry thickness → intensity? The order likelihood ratio on samples.

    python benchmarks/morpho_samples_order_lr.py [--n 2000] [--temperatures 0.5 0.6 0.8]

With a pool of encoded held-out digits, `cage_nb demo morpho` applies the order likelihood ratio
to the measurements of those digits, so it tests the data, not the model. This script applies
the same statistic (held-out nats per row, 500 Adam steps, seed 0, 95% bootstrap interval of 500
replicates) to the measured thickness and intensity of `n` digits *sampled* from the model at
each temperature, and to `n` held-out SCM digits for reference. Prints a markdown table.
"""
import argparse, time, warnings
import numpy as np
import torch
from cage_nb.morpho import MorphoConfig, shipped_model, morpho_labeler
from cage_nb.baselines import order_loglik_ratio
from cage_nb.cage import bootstrap_weights
from cage_nb.digits import make_morpho_scm

def order_lr_row(v, source, seconds=float("nan")):
    _, rows = order_loglik_ratio(v.astype(np.float64), seed=0, steps=500, return_rows=True)
    d = torch.as_tensor(rows, dtype=torch.float32)
    b = bootstrap_weights(len(d), 500, seed=2) @ d
    return (f"| {source} | {len(v)} | {np.corrcoef(v[:, 0], v[:, 1])[0, 1]:.2f} | "
            f"{v[:, 0].std():.2f} | {v[:, 1].std():.1f} "
            f"| {d.mean():.4f} | [{b.quantile(0.025):.4f}, {b.quantile(0.975):.4f}] | "
            f"{seconds:.0f} |")

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--temperatures", type=float, nargs="+", default=[0.5, 0.6, 0.8])
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    cfg = MorphoConfig()
    m = shipped_model(cfg)
    lab = morpho_labeler(["thickness", "intensity"])
    print("| digits | n | corr(t, i) | sd thickness | sd intensity | order-lr margin (t→i > 0) | "
          "95% interval | seconds |")
    print("|---|---|---|---|---|---|---|---|")
    held = make_morpho_scm(cfg.source, a.n, seed=cfg.seed + 1, variant=cfg.variant, split="test",
                           progress=False)
    print(order_lr_row(lab(torch.as_tensor(held.images).float()).numpy(), "held-out SCM data"),
          flush=True)
    for T in a.temperatures:
        t0 = time.perf_counter()
        v = lab(m.decode(m.sample(a.n, seed=cfg.seed, temperature=T))).numpy()
        print(order_lr_row(v, f"model samples, T = {T}", time.perf_counter() - t0), flush=True)
