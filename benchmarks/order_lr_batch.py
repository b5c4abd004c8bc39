"""order-lr's flows for many pairs trained one pair at a time or several pairs in one batch.

    python benchmarks/order_lr_batch.py [--pairs 16] [--n 5000] [--steps 500] [--threads 1]
                                        [--out benchmarks/results/order_lr_batch]

`order_loglik_ratios` stacks the flows of several datasets of one length along the batch
dimension of every `baddbmm`. This script splits `--pairs` synthetic pairs of `--n` rows into
batches of 1, 2, 4, ... pairs, times each split in the same process, checks that every split
gives the same scores to the bit, and writes a table of seconds and ratios against one pair at
a time.
"""
import argparse, time
from pathlib import Path
import numpy as np
import pandas as pd
import torch
from cage_nb.baselines import order_loglik_ratios
from cage_nb.core import atomic_write_text
from cage_nb.scm import make_pair, FAMILIES

def timed_split(datasets, size, steps):
    "Seconds and scores of `order_loglik_ratios` run on consecutive batches of `size` datasets."
    t0 = time.perf_counter()
    scores = []
    for i in range(0, len(datasets), size):
        scores += [r.score for r, _ in order_loglik_ratios(datasets[i:i + size], 0, steps)]
    return time.perf_counter() - t0, scores

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=16)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--steps", type=int, default=500)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/order_lr_batch"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    fams = list(FAMILIES)
    data = [make_pair(fams[i % len(fams)], seed=200 + i, n=a.n).as_array() for i in range(a.pairs)]
    sizes = [s for s in (1, 2, 4, 8, 16, 32, 64) if s <= a.pairs]
    rows, ref = [], None
    for size in sizes:
        seconds, scores = timed_split(data, size, a.steps)
        ref = ref or (seconds, scores)
        rows.append(dict(pairs_per_batch=size, seconds=seconds, ratio=ref[0] / seconds,
                         same_scores=bool(np.array_equal(scores, ref[1]))))
    table = pd.DataFrame(rows)
    text = "\n".join([
        "# order-lr: flows of several pairs in one batch", "",
        f"- {a.pairs} pairs of {a.n} rows, {a.steps} Adam steps, {a.threads} thread(s), "
        "one run per split, all in one process", "",
        table.to_markdown(index=False, floatfmt=".2f"), ""])
    a.out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(a.out / "summary.md", text)
    table.to_csv(a.out / "results.csv", index=False)
    print(text)

if __name__ == "__main__":
    main()
