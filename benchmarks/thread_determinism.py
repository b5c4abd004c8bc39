"""What changes in a toy CAGE run when only the number of torch threads changes.

    python benchmarks/thread_determinism.py [--threads 1 2 4] [--n 3000] [--n-boot 300]
                                            [--out benchmarks/results/thread_determinism]

Runs the toy demo's pipeline (pool, probes, τ with its bootstrap, every registered rule) once
per thread count, each in a fresh process, and compares every output with the 1-thread run:
latents, τ, bootstrap replicates, and each rule's margin and interval. Prints the largest
absolute difference of each and whether it is bit-equal.
"""
import argparse, json, subprocess, sys
from pathlib import Path
import numpy as np
import pandas as pd
from cage_nb.core import atomic_write_text

WORKER = """
import sys, json, torch
torch.set_num_threads(int(sys.argv[1]))
from cage_nb.cage import cage_scores, decide
from cage_nb.directions import fit_probes
from cage_nb.latent import make_pool
from cage_nb.toy import default_toy
toy = default_toy()
lab = toy.labeler()
pool = make_pool(toy, lab, n=int(sys.argv[2]), seed=0)
probes = fit_probes(pool, seed=0)
res = cage_scores(toy, lab, pool, probes, n_boot=int(sys.argv[3]), seed=0)
dec = decide(res)
out = dict(latents=pool.z.double().flatten().tolist(), tau=res.tau.double().flatten().tolist(),
           bootstrap=res.boot.double().flatten().tolist())
for col in ("margin", "ci_low", "ci_high"):
    out[col] = dec[col].astype(float).tolist()
out["decision"] = dec["decision"].tolist()
print(json.dumps(out))
"""

def run(threads, n, n_boot):
    "The outputs of one fresh process at `threads` threads."
    cmd = [sys.executable, "-c", WORKER, str(threads), str(n), str(n_boot)]
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])

def compare(ref, other):
    "Largest absolute difference per numeric output (NaNs equal), and decisions changed."
    rows = {}
    for key, a in ref.items():
        if key == "decision":
            rows[key] = sum(x != y for x, y in zip(a, other[key]))
            continue
        x, y = np.asarray(a, float), np.asarray(other[key], float)
        same_nan = np.isnan(x) == np.isnan(y)
        rows[key] = float(np.nanmax(np.abs(x - y))) if same_nan.all() else float("inf")
    return rows

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--n-boot", type=int, default=300)
    ap.add_argument("--out", type=Path, default=Path("benchmarks/results/thread_determinism"))
    a = ap.parse_args()
    outs = {t: run(t, a.n, a.n_boot) for t in a.threads}
    ref = outs[a.threads[0]]
    table = pd.DataFrame({f"{t} vs {a.threads[0]} threads": compare(ref, outs[t])
                          for t in a.threads[1:]})
    table.index.name = "output (max |difference|; decision: pairs × rules changed)"
    text = "\n".join(["# Toy CAGE run: what changes with the number of threads", "",
                      f"- pool {a.n}, {a.n_boot} bootstrap replicates, every registered rule, "
                      "one fresh process per thread count", "",
                      table.to_markdown(floatfmt=".3g"), ""])
    a.out.mkdir(parents=True, exist_ok=True)
    atomic_write_text(a.out / "summary.md", text)
    print(text)

if __name__ == "__main__":
    main()
