"""Time one pair's CAGE scoring with N latents on one thread, decoder excluded.

    python benchmarks/score_speed.py [--n 10000] [--n-boot 1000] [--repeats 7]

Prints a markdown table of medians (ms) for each stage: twin construction (reflection), labels
and unit effects of the decoded twins, bootstrap (weights + paired replicates), the decoder
call (reported separately, not counted), and the total without the decoder.
"""
import argparse, statistics, time
import torch
from cage_nb.toy import default_toy
from cage_nb.latent import make_pool
from cage_nb.directions import fit_probes
from cage_nb.counterfactual import twins
from cage_nb.cage import bootstrap_weights, percentile_ci

def med(f, repeats):
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1e3

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=7)
    a = ap.parse_args()
    torch.set_num_threads(1)
    toy = default_toy()
    lab = toy.labeler()
    pool = make_pool(toy, lab, a.n, seed=0)
    probes = fit_probes(pool, names=["A", "B"])
    z1, z0 = twins(pool.z, probes["A"])
    x = toy.decode(torch.cat([z1, z0]))
    v = lab(x)
    def effects():
        o = (v > pool.thresholds).float()
        return o[:a.n] - o[a.n:]
    E = effects()[:, :2]
    def boot():
        W = bootstrap_weights(a.n, a.n_boot, seed=0)
        b = W @ E
        percentile_ci(b)
    rows = {"twins (reflection)": med(lambda: twins(pool.z, probes["A"]), a.repeats),
            "labels + unit effects": med(effects, a.repeats),
            f"bootstrap ({a.n_boot} replicates)": med(boot, a.repeats)}
    total = sum(rows.values())
    dec = med(lambda: toy.decode(torch.cat([z1, z0])), a.repeats)
    print(f"| stage (N={a.n}, 1 thread) | median ms |\n|---|---|")
    for k, t in rows.items(): print(f"| {k} | {t:.2f} |")
    print(f"| **total, decoder excluded** | **{total:.2f}** |\n| decoder (toy, 2N latents; not "
          f"counted) | {dec:.2f} |")
