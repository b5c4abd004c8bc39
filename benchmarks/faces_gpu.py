"""Train the faces generator on a GPU within a fixed wall-clock budget, several runs at once.

    python benchmarks/faces_gpu.py --out DIR [--runs b32:32:0 b64:64:0 b64s1:64:1]
                                   [--pretrain-data synthfaces:A:20000]
                                   [--finetune-data synthfaces:B:3000] [--finetune-steps 1000]
                                   [--pretrain-until 360] [--finetune-until 500]
                                   [--speed] [--device cuda]

The shipped toy generator (`36_faces_model`) was trained on one CPU thread for 6000 steps
at batch 16 and renders Male and Young at 97%: the notebook names a longer run as the cheap
fix. This script makes that run where a GPU is lent for minutes, not hours:

1. with `--speed`, first times training steps (`time_training`): the toy config at batch 16
   and 64, the paper config at batch 16 plain and with bf16 autocast;
2. starts one process per `--runs` entry (`NAME:BATCH:SEED`), all on the same device. Each
   pretrains with `cage_nb faces train` on `--pretrain-data` in resumed calls: the first runs
   500 steps, each later one as many as the last call's speed (start-up included, so on the
   safe side) fits before `--pretrain-until` seconds from the script's start. It then
   finetunes with `cage_nb faces finetune` on `--finetune-data` in resumed chunks of 250
   steps, up to `--finetune-steps` or until `--finetune-until`;
3. writes `DIR/faces_gpu.tar.gz` (each run's generators, losses, configs, last sample grid and
   the exact commands it ran, in `commands.json`) and `DIR/speed.md`; `--pack` alone packs a
   run cut off by a timeout.

The commands recorded are the CLI's own, so a run can be repeated with `cage_nb faces ...`.
"""
import argparse, json, subprocess, sys, tarfile, time
from pathlib import Path

def speed_table(device):
    "Markdown table of `time_training` on `device` (toy b16/b64, paper b16 plain and bf16)."
    from cage_nb.gan_training import time_training
    rows = ["| config | batch | switches | s/step (D+G) | R1 s | PL s | amortised s/step "
            "| G_ema img/s |", "|---|---|---|---|---|---|---|---|"]
    for config, batch, sw in (("toy", 16, {}), ("toy", 64, {}), ("paper", 16, {}),
                              ("paper", 16, dict(amp=True))):
        try:
            r = time_training(config, device=device, batch_size=batch, steps=3, **sw)
        except Exception as e:  # a failed timing must not cost the training runs
            rows.append(f"| {config} | {batch} | {sw or 'plain'} | failed: {e!r} |")
            print(rows[-1], flush=True)
            continue
        pl = "–" if r.pl_s is None else f"{r.pl_s:.4f}"
        rows.append(f"| {config} | {batch} | {sw or 'plain'} | {r.s_per_step:.4f} | {r.r1_s:.4f} | "
                    f"{pl} | {r.amortised_s:.4f} | {r.images_per_s:.0f} |")
        print(rows[-1], flush=True)
    return "\n".join(rows) + "\n"

def _cli(args, log, path):
    "Run `cage_nb ARGS` through the library's CLI in this process; log it to `path` (JSON)."
    from cage_nb.cli import main
    line = "cage_nb " + " ".join(args)
    t = time.perf_counter()
    rc = main(args)
    log.append({"command": line, "seconds": round(time.perf_counter() - t, 1), "rc": rc})
    path.write_text(json.dumps(log, indent=1))
    print(line, f"({log[-1]['seconds']} s)", flush=True)
    return rc

def worker(a):
    "One run: timed pretraining, then chunked finetuning, within the deadlines."
    run, (batch, seed) = Path(a.out) / "runs" / a.name, a.spec
    pre, ft, log, path = run / "pretrain_A", run / "finetune_B", [], run / "commands.json"
    run.mkdir(parents=True, exist_ok=True)
    common = ["--config", "toy", "--batch-size", batch, "--seed", seed, "--device", a.device,
              "--resume", "--checkpoint-every", "500", "--sample-every", "2000"]
    train = ["faces", "train", "--data", a.pretrain_data, "--out", str(pre)] + common
    done, chunk = 0, 500
    while chunk >= 100:
        t = time.perf_counter()
        _cli(train + ["--steps", str(done + chunk)], log, path)
        done, rate = done + chunk, chunk / (time.perf_counter() - t)  # start-up included
        chunk = int(rate * (a.deadline_pre - time.time()) * 0.9) // 100 * 100
    tune = ["faces", "finetune", "--checkpoint", str(pre / "generator.safetensors"),
            "--data", a.finetune_data, "--out", str(ft)] + common
    done, chunk_s = 0, 0.0
    while done < a.finetune_steps and time.time() + 1.2 * chunk_s < a.deadline_ft:
        done = min(done + 250, a.finetune_steps)
        t = time.perf_counter()
        _cli(tune + ["--steps", str(done)], log, path)
        chunk_s = time.perf_counter() - t

def launch(a, t_start):
    "Start one worker process per run; wait for all of them."
    procs = []
    for spec in a.runs:
        name, batch, seed = spec.split(":")
        cmd = [sys.executable, __file__, "--worker", name, "--spec", batch, seed,
               "--out", a.out, "--device", a.device, "--pretrain-data", a.pretrain_data,
               "--finetune-data", a.finetune_data, "--finetune-steps", str(a.finetune_steps),
               "--deadline-pre", str(t_start + a.pretrain_until),
               "--deadline-ft", str(t_start + a.finetune_until)]
        logf = open(Path(a.out) / f"{name}.log", "w")
        procs.append((name, logf, subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT)))
    for name, logf, p in procs:
        print(name, "exit", p.wait(), flush=True)
        logf.close()

def pack(out):
    "Everything but the optimiser checkpoints, as one tarball."
    out = Path(out)
    with tarfile.open(out / "faces_gpu.tar.gz", "w:gz") as tar:
        for f in sorted(out.rglob("*")):
            skip = f.is_dir() or f.name == "checkpoint.safetensors" or f.suffix == ".gz"
            if not skip and (f.parent.name != "samples" or f == max(f.parent.glob("*.png"))):
                tar.add(f, arcname=str(f.relative_to(out)))

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", nargs="+", default=["b32:32:0", "b64:64:0", "b64s1:64:1"])
    ap.add_argument("--pretrain-data", default="synthfaces:A:20000")
    ap.add_argument("--finetune-data", default="synthfaces:B:3000")
    ap.add_argument("--finetune-steps", type=int, default=1000)
    ap.add_argument("--pretrain-until", type=float, default=360.0)
    ap.add_argument("--finetune-until", type=float, default=500.0)
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--device", default="cuda")
    ap.add_argument("--pack", action="store_true", help="only pack DIR (after a timeout)")
    ap.add_argument("--worker", dest="name")
    ap.add_argument("--spec", nargs=2)
    ap.add_argument("--deadline-pre", type=float)
    ap.add_argument("--deadline-ft", type=float)
    a = ap.parse_args()
    if a.name:
        return worker(a)
    if a.pack:
        return pack(a.out)
    t_start = time.time()
    Path(a.out).mkdir(parents=True, exist_ok=True)
    if a.speed:
        (Path(a.out) / "speed.md").write_text(speed_table(a.device))
    launch(a, t_start)
    pack(a.out)
    print(f"total {time.time() - t_start:.0f} s", flush=True)

if __name__ == "__main__":
    main()
