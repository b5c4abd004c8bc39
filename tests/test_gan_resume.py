"""`cage_nb faces train|finetune|sample` as a user runs them: a `kill -9` mid-run, then
`--resume`, gives the loss curve of an uninterrupted run bit for bit; a malicious pickle is
refused without running anything; a checkpoint of the wrong resolution is refused."""
import json, os, pickle, signal, subprocess, time
from dataclasses import asdict

import numpy as np
import torch

from cage_nb.gan_checkpoints import save_generator
from cage_nb.gan_training import blob_images, gan_train_config, load_training_images, train_gan
from cage_nb.stylegan2 import Generator, stylegan2_config

STEPS = 20

def _env():
    return dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")

def _train(data, out, steps=STEPS):
    "The command line of a tiny resumable toy run."
    return ["cage_nb", "faces", "train", "--data", str(data), "--out", str(out),
            "--steps", str(steps), "--batch-size", "4", "--resolution", "8",
            "--checkpoint-every", "2", "--sample-every", "1000", "--device", "cpu", "--resume"]

def _state(out):
    "The step and loss history of the last checkpoint (its JSON copy), or None."
    f = out / "checkpoint.json"
    if not f.exists():
        return None
    try:
        st = json.loads(f.read_text())["state"]
    except (ValueError, KeyError):  # caught between the two atomic writes
        return None
    return st["step"], st["extra"]["history"]

def _reference_history(data):
    "The uninterrupted run, in this process, with the settings the command line resolves to."
    cfg = gan_train_config("toy", batch_size=4, checkpoint_every=2, sample_every=1000)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        res = train_gan(cfg, load_training_images(data, 8), steps=STEPS,
                        model_cfg=stylegan2_config("toy", resolution=8), progress=False)
    finally:
        torch.set_num_threads(threads)
    return [asdict(h) for h in res.trainer.history]

def test_kill_9_then_resume_gives_the_same_loss_curve(tmp_path):
    data = tmp_path / "blobs.npy"
    np.save(data, blob_images(16, 32))
    ref_hist = _reference_history(data)
    assert len(ref_hist) == STEPS

    out = tmp_path / "killed"
    proc = subprocess.Popen(_train(data, out), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=_env())
    deadline = time.time() + 120
    while _state(out) is None and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
    killed_step, killed_hist = _state(out)
    assert 0 < killed_step < STEPS
    assert killed_hist == ref_hist[:killed_step]

    again = subprocess.run(_train(data, out), capture_output=True, text=True, env=_env())
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"resuming at step {killed_step}" in again.stdout
    step, hist = _state(out)
    assert step == STEPS and hist == ref_hist  # bit for bit: the JSON floats are exact


class _Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))

def test_cli_refuses_a_malicious_pickle(tmp_path):
    marker = tmp_path / "pwned"
    bad = tmp_path / "net.pkl"
    bad.write_bytes(pickle.dumps({"G_ema": _Evil(marker)}))
    r = subprocess.run(["cage_nb", "faces", "sample", "--checkpoint", str(bad), "--out",
                        str(tmp_path / "o")], capture_output=True, text=True)
    assert r.returncode == 2 and "not on the allow-list" in r.stderr and "net.pkl" in r.stderr
    assert not marker.exists()

def test_finetune_rejects_a_wrong_resolution(tmp_path):
    data = tmp_path / "blobs.npy"
    np.save(data, blob_images(8, 32))
    ckpt = save_generator(tmp_path / "g.safetensors", Generator(stylegan2_config("toy")))
    r = subprocess.run(["cage_nb", "faces", "finetune", "--config", "paper", "--checkpoint",
                        str(ckpt), "--data", str(data), "--out", str(tmp_path / "ft")],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "256 px was expected" in r.stderr, r.stderr[-2000:]
