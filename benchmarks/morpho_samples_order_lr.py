"""Does the shipped toy MintNet's own output carry thickness → intensity? Order-lr on its samples.

    python benchmarks/morpho_samples_order_lr.py [--n 2000] [--temperatures 0.5 0.6 0.8]
                                                 [--out benchmarks/results/morpho]

With a pool of encoded held-out digits, `cage_nb demo morpho` applies the order likelihood ratio
to the measurements of those digits, so it tests the data, not the model. This script applies
the same statistic (held-out nats per row, 500 Adam steps, seed 0, 95% bootstrap interval of 500
replicates) to the measured thickness and intensity of `n` digits *sampled* from the model at
each temperature, and to `n` held-out SCM digits for reference. Prints the table and writes it
as `samples_order_lr.csv` and `.md` to `--out`.
"""
import argparse, time, warnings
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from cage_nb.morpho import MorphoConfig, shipped_model, morpho_labeler
from cage_nb.baselines import order_loglik_ratio
from cage_nb.cage import bootstrap_weights
from cage_nb.core import write_table
from cage_nb.digits import make_morpho_scm

def order_lr_row(v, source, seconds=float("nan")):
    "One row of the table: the digits' statistics and the order-lr margin with its interval."
    _, rows = order_loglik_ratio(v.astype(np.float64), seed=0, steps=500, return_rows=True)
    d = torch.as_tensor(rows, dtype=torch.float32)
    b = bootstrap_weights(len(d), 500, seed=2) @ d
    corr = np.corrcoef(v[:, 0], v[:, 1])[0, 1]
    return dict(digits=source, n=len(v), corr_thickness_intensity=corr,
                sd_thickness=v[:, 0].std(), sd_intensity=v[:, 1].std(), margin=float(d.mean()),
                ci_low=float(b.quantile(0.025)), ci_high=float(b.quantile(0.975)), seconds=seconds)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--temperatures", type=float, nargs="+", default=[0.5, 0.6, 0.8])
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/morpho"))
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    cfg = MorphoConfig()
    m = shipped_model(cfg)
    lab = morpho_labeler(["thickness", "intensity"])
    held = make_morpho_scm(cfg.source, a.n, seed=cfg.seed + 1, variant=cfg.variant, split="test",
                           progress=False)
    rows = [order_lr_row(lab(torch.as_tensor(held.images).float()).numpy(), "held-out SCM data")]
    for T in a.temperatures:
        t0 = time.perf_counter()
        v = lab(m.decode(m.sample(a.n, seed=cfg.seed, temperature=T))).numpy()
        rows.append(order_lr_row(v, f"model samples, T = {T}", time.perf_counter() - t0))
    table = pd.DataFrame(rows)
    print(table.round(4).to_string(index=False))
    write_table(table, a.out, "samples_order_lr")
