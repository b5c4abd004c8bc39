"""How often does CAGE's bootstrap interval cover a planted τ?  (issue: reliability sweep, item 5)

    python benchmarks/interval_coverage.py [--cases 200] [--n 2000] [--refits 100] [--out DIR]
                                           [--before benchmarks/results/interval_coverage_before]

Each case is independent: a fresh random angle θ between two exactly linear, balanced attributes
in an isotropic Gaussian latent (`PlanarPair`), a fresh pool and fresh seeds. The planted value is
τ = 1 − 2θ/π (reflection twins) or 2Φ(δ cot θ) − 1 (margin twins), computed from the TRUE normals.
Three ways of building the interval are compared on the same cases:

- `true-probes`: the true hyperplanes, the unit bootstrap of `cage_scores` (Monte Carlo error only);
- `fitted-probes`: SVM probes fitted on the pool, the unit bootstrap of `cage_scores` (what
  cage_nb reports): probe-fit error is not in the interval;
- `refit-bootstrap`: SVM probes refitted on every bootstrap resample, twins and effects recomputed
  on it, percentile interval of the replicates: `cage_scores(..., probe_refits=refits)`.

Twin constructions (`reflection`, `margin`) alternate over cases; they are the scenarios. Prints
coverage per scenario and interval method with 95% Wilson intervals, writes `coverage.csv` (one row
per case and scenario) and `summary.md` to `--out`.
"""
import argparse
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from statsmodels.stats.proportion import proportion_confint

from cage_nb.cage import PlanarPair, cage_scores, tau_isotropic
from cage_nb.directions import fit_probe
from cage_nb.latent import make_pool


def fitted_probes(z, values, seed):
    "SVM probes of both attributes on labels at the true threshold 0."
    return {name: fit_probe(z, values[:, k], name, threshold=0.0, seed=seed)
            for k, name in enumerate(["A", "B"])}


def one_case(case, n, refits, n_boot, delta=1.0):
    "All three scenarios on one planted case; a list of result rows."
    rng = np.random.default_rng(case)
    theta = float(rng.uniform(0.15, math.pi - 0.15))
    scenario = ("reflection", "margin")[case % 2]
    model = PlanarPair(theta, d=8, seed=10_000 + case)
    pool = make_pool(model, model.labeler(), n=n, seed=20_000 + case)
    pool.thresholds = torch.zeros(2)
    truth = float(tau_isotropic(theta, scenario, delta))
    fitted = fitted_probes(pool.z, pool.values, seed=case)
    methods = [("true-probes", model.probes(), 0), ("fitted-probes", fitted, 0)]
    if refits:
        methods.append(("refit-bootstrap", fitted, refits))
    rows = []
    for method, prb, probe_refits in methods:
        res = cage_scores(model, model.labeler(), pool, prb, method=scenario, delta=delta,
                          n_boot=n_boot, seed=30_000 + case, probe_refits=probe_refits)
        lo, hi = res.ci("A", "B")
        rows.append(dict(case=case, scenario=scenario, method=method, theta=theta, truth=truth,
                         tau=res.score("A", "B"), ci_low=lo, ci_high=hi))
    return rows


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    "Coverage, its Wilson interval and the median interval width per scenario and method."
    df = df.assign(covered=(df.ci_low <= df.truth) & (df.truth <= df.ci_high),
                   width=df.ci_high - df.ci_low, error=df.tau - df.truth)
    out = []
    for (scenario, method), g in df.groupby(["scenario", "method"]):
        k, m = int(g.covered.sum()), len(g)
        lo, hi = proportion_confint(k, m, method="wilson")
        out.append(dict(scenario=scenario, method=method, cases=m, coverage=k / m,
                        wilson_low=lo, wilson_high=hi, median_width=g.width.median(),
                        rmse_tau=float(np.sqrt((g.error ** 2).mean()))))
    return pd.DataFrame(out)


def read_before(folder: Path) -> pd.DataFrame:
    "Rows of an earlier run; runs before the column fix stored the interval method as `scenario`."
    df = pd.read_csv(folder / "coverage.csv")
    if "true-probes" in set(df.scenario):
        df = df.rename(columns={"scenario": "method", "method": "scenario"})
    return df


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cases", type=int, default=200)
    ap.add_argument("--n", type=int, default=2000, help="latents per pool")
    ap.add_argument("--refits", type=int, default=100, help="refit-bootstrap replicates (0: skip)")
    ap.add_argument("--n-boot", type=int, default=500)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/interval_coverage"))
    ap.add_argument("--before", type=Path, default=None, help="an earlier run's folder to compare")
    args = ap.parse_args()
    torch.set_num_threads(1)
    t0 = time.perf_counter()
    rows = []
    for case in range(args.cases):
        rows += one_case(case, args.n, args.refits, args.n_boot)
        if (case + 1) % 20 == 0:
            print(f"{case + 1}/{args.cases} cases, {time.perf_counter() - t0:.0f} s", flush=True)
    df = pd.DataFrame(rows)
    summary = summarise(df)
    args.out.mkdir(parents=True, exist_ok=True)
    df.to_csv(args.out / "coverage.csv", index=False)
    text = (f"Interval coverage of a planted tau: {args.cases} cases, n = {args.n}, "
            f"{args.n_boot} unit-bootstrap replicates, {args.refits} refits; "
            f"{time.perf_counter() - t0:.0f} s on 1 thread.\n\n"
            + summary.to_markdown(index=False, floatfmt=".3f") + "\n")
    if args.before is not None:
        text += (f"\nBefore (`{args.before}`, float32 bootstrap means, the benchmark's own refit "
                 "code):\n\n" + summarise(read_before(args.before)).to_markdown(
                     index=False, floatfmt=".3f") + "\n")
    (args.out / "summary.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
