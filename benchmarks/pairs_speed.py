"""`cage_nb pairs` one MAF after another against all MAFs trained together.

    python benchmarks/pairs_speed.py [--pairs 32] [--maf-steps 250] [--threads 1]
                                     [--out benchmarks/results/pairs_speed]

Draws `--pairs` synthetic pairs of lengths between 345 and 5000 rows (families of `10_scm`,
so some pairs are shorter than the MAF's batch of 512), then runs `analyze_pairs` on them
twice with the paper's MAF architecture and `--maf-steps` steps: with `ensemble=False` (one
MAF after another, what `cage_nb pairs` did) and with `ensemble=True` (what it does now).
Reports training, scoring and total seconds of each, their ratios, and on how many pairs the
two give the same decision for every rule.
"""
import argparse, time
from dataclasses import replace
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from cage_nb.core import atomic_write_text
from cage_nb.scm import make_pair, FAMILIES
from cage_nb.synthetic import SyntheticConfig, analyze_pairs

def draw_pairs(k, seed=0):
    rng = np.random.default_rng(seed)
    fams = list(FAMILIES)
    return [make_pair(fams[i % len(fams)], seed=100 + i, n=int(rng.integers(345, 5001)))
            for i in range(k)]

def timed(pairs, cfg):
    "Reports, training seconds and total seconds of one `analyze_pairs` call."
    t0 = time.perf_counter()
    reports = analyze_pairs(pairs, cfg)
    total = time.perf_counter() - t0
    if cfg.ensemble:
        train = reports[0].maf["train_seconds"]
    else:
        train = sum(r.maf["train_seconds"] for r in reports)
    return reports, train, total

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=32)
    ap.add_argument("--maf-steps", type=int, default=250)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/pairs_speed"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    base = SyntheticConfig()
    base = replace(base, maf=replace(base.maf, steps=a.maf_steps))
    pairs = draw_pairs(a.pairs)
    seq, seq_train, seq_total = timed(pairs, replace(base, ensemble=False))
    ens, ens_train, ens_total = timed(pairs, replace(base, ensemble=True))
    same = sum({k: v["decision"] for k, v in s.rules.items()}
               == {k: v["decision"] for k, v in e.rules.items()} for s, e in zip(seq, ens))
    rows = [("MAF training", seq_train, ens_train), ("scoring", seq_total - seq_train,
            ens_total - ens_train), ("total", seq_total, ens_total)]
    table = pd.DataFrame([dict(part=p, sequential_s=s, together_s=e, ratio=s / e)
                          for p, s, e in rows])
    lengths = [p.n for p in pairs]
    text = "\n".join([
        "# cage_nb pairs: one MAF at a time against all together", "",
        f"- {a.pairs} pairs of {min(lengths)}-{max(lengths)} rows "
        f"({sum(n < 603 for n in lengths)} shorter than a 512-row batch needs), "
        f"MAF {base.maf.n_layers} x {base.maf.n_blocks}, {a.maf_steps} steps, "
        f"{a.threads} thread(s), one run each", "",
        table.to_markdown(index=False, floatfmt=".2f"), "",
        f"Same decision for every rule on {same} of {a.pairs} pairs.", ""])
    a.out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(a.out / "summary.md", text)
    print(text)

if __name__ == "__main__":
    main()
