"""The faces experiment at mid size on CPU; writes benchmarks/results/faces_mid/ with goals.csv.

Usage: PYTHONPATH=$PWD python benchmarks/faces_mid.py
"""
import json
import time
from pathlib import Path

import pandas as pd
import torch

import cage_nb
from cage_nb.faces import FacesConfig, goals_report, run_faces

OUT = Path(__file__).parent / "results" / "faces_mid"


def main() -> None:
    "Run, write the run folder and the goals table."
    torch.set_num_threads(1)
    cfg = FacesConfig(n_pool=600, n_units=200, n_boot=300, order_lr_steps=60, n_sweep=400,
                      n_real=400, sweep_rates=(0.05, 0.25, 0.6))
    t0 = time.perf_counter()
    run = run_faces(cfg, OUT)
    weights = Path(cage_nb.__file__).parent / "weights" / "face_classifier_32.json"
    held = pd.DataFrame(json.loads(weights.read_text())["held_out"])
    goals_report(run, held).to_csv(OUT / "goals.csv", index=False)
    print(f"wrote {OUT} in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
