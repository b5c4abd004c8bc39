"""Two gloo processes (DistributedDataParallel) produce, after one training step, the gradients
of one process on the same global batch, in every phase (D, lazy R1, G, lazy path length)."""
import os, socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from safetensors.torch import load_file, save_file

from cage_nb.gan_training import DistInfo, GANTrainer, blob_images, fit_images, gan_train_config
from cage_nb.stylegan2 import stylegan2_config

TRAIN = dict(batch_size=8, r1_every=1, pl_weight=2.0, pl_every=1, mixing_prob=0.5)
MODEL = dict(resolution=8, z_dim=16, w_dim=16, n_mapping=2, channel_base=128, channel_max=16)

def _grads(rank: int, world: int) -> dict:
    "Gradients seen before each optimiser step of one training step, by phase."
    cfg, mc = gan_train_config("toy", **TRAIN), stylegan2_config("toy", **MODEL)
    tr = GANTrainer(cfg, mc, fit_images(blob_images(16, 8), 8), dist_info=DistInfo(rank, world))
    grads = {}
    def hook(phase, module):
        for name, p in module.named_parameters():
            if p.grad is not None:
                grads[f"{phase}.{name}"] = p.grad.detach().clone()
    tr.train_step(hook)
    return grads

def _worker(rank: int, world: int, port: int, out: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    dist.init_process_group("gloo", rank=rank, world_size=world)
    try:
        grads = _grads(rank, world)
        if rank == 0:
            save_file(grads, out)
    finally:
        dist.destroy_process_group()

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]

def test_two_gloo_processes_match_one(tmp_path):
    out = tmp_path / "grads.safetensors"
    mp.spawn(_worker, args=(2, _free_port(), str(out)), nprocs=2, join=True)
    two = load_file(str(out))
    torch.set_num_threads(1)
    one = _grads(0, 1)
    assert {k.split(".")[0] for k in one} == {"D", "D_reg", "G", "G_reg"}
    assert set(two) == set(one)
    for k in one:
        torch.testing.assert_close(two[k], one[k], rtol=1e-4, atol=1e-6, msg=k)
