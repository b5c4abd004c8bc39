"""Seconds per StyleGAN2 training step (D and G together) and generated images per second.

    python benchmarks/gan_speed.py [--configs toy paper] [--batch-size N] [--steps 3]
                                   [--device cpu] [--threads 1] [--variants]

Times real training phases on random images with `cage_nb.gan_training.time_training`
(medians over `--steps` steps after one warm-up step) and prints a markdown table. With
`--variants` (meant for a GPU) each config is also timed with bf16 autocast, then + channels-last,
then + torch.compile, and the table gives each variant's speed-up over the plain run.
"""
import argparse
import platform
import time

import torch

from cage_nb.gan_training import GAN_TRAIN_CONFIGS, time_training

VARIANTS = {"plain": {},
            "bf16": dict(amp=True),
            "bf16+channels_last": dict(amp=True, channels_last=True),
            "bf16+channels_last+compile": dict(amp=True, channels_last=True, compile=True)}

def row(name, variant, r, base):
    "One markdown table row."
    pl = "–" if r.pl_s is None else f"{r.pl_s:.3f}"
    ratio = base.amortised_s / r.amortised_s
    return (f"| {name} | {variant} | {r.device} | {r.batch_size} | {r.s_per_step:.3f} | "
            f"{r.cpu_s_per_step:.3f} | {r.r1_s:.3f} | {pl} | {r.amortised_s:.3f} | "
            f"{r.images_per_s:.1f} | {ratio:.2f}× |")

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--configs", nargs="+", default=["toy", "paper"],
                    choices=list(GAN_TRAIN_CONFIGS))
    ap.add_argument("--batch-size", type=int, default=None, help="default: each config's")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=1, help="CPU threads")
    ap.add_argument("--variants", action="store_true", help="also bf16 / channels-last / compile")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f"{time.strftime('%Y-%m-%d')}, {platform.node()}, torch {torch.__version__}, "
          f"{a.threads} CPU thread(s), device {a.device}")
    print("| config | variant | device | batch | s/step (D+G) | CPU s/step | R1 s | PL s "
          "| amortised s/step | images/s | speed-up |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name in a.configs:
        base = None
        for variant, switches in VARIANTS.items() if a.variants else [("plain", {})]:
            r = time_training(name, a.device, a.batch_size, a.steps, **switches)
            base = base or r
            print(row(name, variant, r, base), flush=True)

if __name__ == "__main__":
    main()
