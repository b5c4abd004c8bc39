"""What corrected counterfactual edits cost on the shipped toy MintNet: the drift table.

    python benchmarks/morpho_drift.py [--n 1000] [--units 100] [--out benchmarks/results/morpho]

Builds the default pool (`n` encoded held-out SCM digits) and its ridge probes as
`cage_nb demo morpho` does, then edits the first `units` digits with the causal edit and 0, 1
and 3 secant corrections (`cage_nb.morpho.correction_drift`): the latent step, the error of the
measured treatment, and the drift of skeleton length, height and area in standard deviations.
Writes `correction_drift.csv` and `.md` to `--out`.
"""
import argparse, warnings
from pathlib import Path

from cage_nb.core import write_table
from cage_nb.morpho import (MorphoConfig, shipped_model, morpho_labeler, morpho_pool, morpho_truth,
                            ridge_probes, correction_drift)

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=MorphoConfig.pool_n)
    ap.add_argument("--units", type=int, default=MorphoConfig.n_edit)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/morpho"))
    a = ap.parse_args()
    warnings.simplefilter("ignore")
    cfg = MorphoConfig(pool_n=a.n)
    model, lab = shipped_model(cfg), morpho_labeler()
    pool = morpho_pool(model, cfg, lab, progress=False)
    drift = correction_drift(model, lab, pool, ridge_probes(pool, cfg), morpho_truth().graph,
                             n_units=a.units)
    print(drift.round(3).to_string(index=False))
    write_table(drift, a.out, "correction_drift")
