"""kill -9 during training, then resume: is anything lost?  (issue: reliability sweep, item 2)

    python benchmarks/kill_resume.py [--trainers maf ensemble mintnet] [--kills 20] [--seed 0]

For each trainer, a worker process trains a small model with a checkpoint written every step or
two. The driver kills it with SIGKILL at random moments (so some kills land inside a checkpoint
write), checks after every kill that the checkpoint on disk loads and records its step, and
restarts the worker until training completes. It then compares the final weights and the stored
loss curve with those of an uninterrupted run with the same seed, bit for bit.

Prints one row per trainer: kills, kills that found a readable checkpoint, steps lost per kill
(median), stray temporary files left, and whether weights and losses equal the reference.
"""
import argparse
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

STEPS = {"maf": 120, "ensemble": 80, "mintnet": 60}


def train(trainer: str, ckpt: Path, seed: int) -> None:
    "The worker: train `trainer` with checkpoints at `ckpt`, resuming when it exists."
    import torch
    torch.set_num_threads(1)
    rng = np.random.default_rng(seed)
    if trainer == "maf":
        from cage_nb.maf import MAFConfig, train_maf
        cfg = MAFConfig(n_layers=2, n_blocks=1, hidden=8, steps=STEPS["maf"], batch_size=64,
                        checkpoint_every=1, seed=seed)
        train_maf(rng.normal(size=(400, 2)), cfg, checkpoint=ckpt, device="cpu", progress=False)
    elif trainer == "ensemble":
        from cage_nb.maf import MAFConfig, train_maf_ensemble
        cfg = MAFConfig(n_layers=2, n_blocks=1, hidden=8, steps=STEPS["ensemble"], batch_size=64,
                        checkpoint_every=1, seed=seed)
        data = [rng.normal(size=(300, 2)) for _ in range(3)]
        train_maf_ensemble(data, cfg, seeds=[seed, seed + 1, seed + 2], checkpoint=ckpt,
                           device="cpu", progress=False)
    elif trainer == "mintnet":
        from cage_nb.mintnet import MintNetConfig, train_mintnet
        cfg = MintNetConfig(image_size=8, in_channels=1, n_pairs=2, squeeze_before=(),
                            latent_size=2)
        x = torch.as_tensor(rng.uniform(0, 1, size=(64, 1, 8, 8)), dtype=torch.float32)
        train_mintnet(x, cfg, path=ckpt, steps=STEPS["mintnet"], batch_size=16, eval_every=2,
                      device="cpu", progress=False, seed=seed)
    else:
        raise ValueError(f"unknown trainer {trainer!r}")


def read_state(ckpt: Path):
    "(step, tensors, losses) of a checkpoint, or None when none is on disk yet; raises if damaged."
    from cage_nb.core import load_checkpoint
    if not ckpt.exists():
        return None
    tensors, meta = load_checkpoint(ckpt)
    state = meta.get("state", {})
    extra = state.get("extra", {})
    losses = extra.get("losses", extra.get("history"))
    return int(state.get("step", 0)), tensors, losses


def worker_cmd(trainer, ckpt, seed):
    "The worker's command line; it trains for the driver's `STEPS[trainer]`."
    return [sys.executable, __file__, "worker", trainer, str(ckpt), str(seed), str(STEPS[trainer])]


def json_step(ckpt: Path) -> int:
    "The step recorded in the checkpoint's JSON copy (cheap to poll), or -1."
    try:
        return int(json.loads(ckpt.with_suffix(".json").read_text())["state"]["step"])
    except (OSError, ValueError, KeyError):
        return -1


def reference(trainer: str, folder: Path, seed: int):
    "The uninterrupted run's final state, and its wall time in seconds."
    ckpt = folder / f"ref-{trainer}.safetensors"
    t0 = time.perf_counter()
    subprocess.run(worker_cmd(trainer, ckpt, seed), check=True)
    return read_state(ckpt), time.perf_counter() - t0


def run_until(trainer, ckpt, seed, target: int, step_s: float, rng) -> bool:
    "Start a worker; SIGKILL it once it has saved step `target` (plus a random fraction of a step)."
    proc = subprocess.Popen(worker_cmd(trainer, ckpt, seed))
    while proc.poll() is None and json_step(ckpt) < target:
        time.sleep(0.005)
    if proc.poll() is not None:
        return False
    time.sleep(rng.uniform(0.0, 1.5) * step_s)  # lands inside the next checkpoint write at times
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return True


def killed_run(trainer: str, folder: Path, seed: int, kills: int, step_s: float, rng):
    "Train under `kills` SIGKILLs at random steps; a dict of what was seen."
    ckpt = folder / f"killed-{trainer}.safetensors"
    targets = sorted(rng.sample(range(1, STEPS[trainer] - 1), kills))
    seen = dict(kills=0, readable=0, steps=[])
    for target in targets:
        if run_until(trainer, ckpt, seed, target, step_s, rng):
            seen["kills"] += 1
            state = read_state(ckpt)  # raises if the kill left a damaged checkpoint
            seen["readable"] += 1
            seen["steps"].append(state[0] if state else 0)
    subprocess.run(worker_cmd(trainer, ckpt, seed), check=True)
    seen["final"] = read_state(ckpt)
    seen["stray"] = sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))
    return seen


def same(a, b) -> bool:
    "Equal step, bit-equal tensors and equal loss curves."
    import torch
    if a[0] != b[0] or sorted(a[1]) != sorted(b[1]):
        return False
    return all(torch.equal(a[1][k], b[1][k]) for k in a[1]) and a[2] == b[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trainers", nargs="+", default=["maf", "ensemble", "mintnet"])
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    rows = []
    for trainer in args.trainers:
        folder = Path(tempfile.mkdtemp(prefix=f"kill_{trainer}_"))
        ref, seconds = reference(trainer, folder, args.seed)
        step_s = seconds / STEPS[trainer] / 3  # a rough upper bound on one step's time
        seen = killed_run(trainer, folder, args.seed, args.kills, step_s, rng)

        rows.append(dict(trainer=trainer, kills=seen["kills"], readable=seen["readable"],
                         steps_at_kills=seen["steps"], stray_tmp=len(seen["stray"]),
                         final_step=seen["final"][0], identical=same(seen["final"], ref),

                         reference_s=round(seconds, 1)))
        print(rows[-1], flush=True)
    print("\n| trainer | kills | readable after kill | stray .tmp | final step | equal to ref |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['trainer']} | {r['kills']} | {r['readable']} | {r['stray_tmp']} | "
              f"{r['final_step']} | {r['identical']} |")
    return 0 if all(r["identical"] and r["readable"] == r["kills"] for r in rows) else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        STEPS[sys.argv[2]] = int(sys.argv[5])
        train(sys.argv[2], Path(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(main())
