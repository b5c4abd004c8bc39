"""What every rule says on pairs with no direction (hidden common cause, or Gaussian).

    python benchmarks/null_pairs.py [--n-datasets 6] [--maf-steps 5000] [--threads 1]
                                    [--out benchmarks/results/null_pairs]

Draws `--n-datasets` pairs of each associated null family of `10_scm` (`gauss-linear`,
`confounded`, `confounded-gp`; 5000 rows each, the benchmark's size), and runs the synthetic
benchmark's pipeline on them with its full settings (`run_pairs`): a paper-size MAF per pair,
every CAGE rule inside it, and the peers on the data. The right answer on every pair is
`undecided`, so each decision is a false one. Writes `results.csv`, `restarts.csv` (CAGE rules
with their gated decision and interval) and `summary.md`; prints the summary.
"""
import argparse
from dataclasses import replace
from pathlib import Path
import pandas as pd
import torch
from cage_nb.core import atomic_write_text
from cage_nb.scm import make_null_pair
from cage_nb.synthetic import SyntheticConfig, run_pairs, wilson

FAMILIES = ("gauss-linear", "confounded", "confounded-gp")

def false_decisions(results: pd.DataFrame) -> pd.DataFrame:
    "Per method and family: pairs, false decisions and their rate with a Wilson interval."
    out = []
    for (method, fam), g in results.groupby(["method", "family"]):
        k = int((g.decision != "undecided").sum())
        lo, hi = wilson(k, len(g))
        out.append(dict(method=method, family=fam, pairs=len(g), decided=k, rate=k / len(g),
                        ci=f"[{lo:.2f}, {hi:.2f}]"))
    return pd.DataFrame(out)

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n-datasets", type=int, default=6)
    ap.add_argument("--maf-steps", type=int, default=5000)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/null_pairs"))
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    cfg = SyntheticConfig()
    cfg = replace(cfg, maf=replace(cfg.maf, steps=a.maf_steps))
    pairs = [make_null_pair(f, seed=s, n=cfg.n_samples) for f in FAMILIES
             for s in range(a.n_datasets)]
    run = run_pairs(pairs, cfg, progress=False)
    a.out.mkdir(parents=True, exist_ok=True)
    run.results.to_csv(a.out / "results.csv", index=False)
    run.restarts.to_csv(a.out / "restarts.csv", index=False)
    cage = run.restarts.assign(method=run.restarts.method + " (gated)", decision=run.restarts.gated)
    table = false_decisions(pd.concat([run.results, cage[run.results.columns]]))
    wide = table.pivot(index="method", columns="family", values="decided")
    text = "\n".join([
        "# Rules on pairs with no direction", "",
        f"- {a.n_datasets} pairs per family, {cfg.n_samples} rows, MAF {cfg.maf.n_layers} x "
        f"{cfg.maf.n_blocks}, {cfg.maf.steps} steps; {run.seconds:.0f} s on {a.threads} thread(s)",
        "- every decision is false: the right answer is `undecided`",
        "- CAGE rules: raw verdict, and `(gated)` after every gate", "",
        f"## Decided pairs (of {a.n_datasets} per family)", "", wide.to_markdown(), "",
        "## Per method and family, with 95% Wilson intervals of the false-decision rate", "",
        table.to_markdown(index=False, floatfmt=".2f"), ""])
    atomic_write_text(a.out / "summary.md", text)
    print(text)

if __name__ == "__main__":
    main()
