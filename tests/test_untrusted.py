"""Untrusted files: no `torch.load` without `weights_only=True` and no `pickle.load(s)` in the
package (the restricted unpickler of `gan_checkpoints` subclasses `pickle.Unpickler` and is the one
allowed reader of pickles); a safetensors file whose tensors do not fit its config is refused."""
import json
import re
from pathlib import Path

import pytest
import torch

PKG = Path(__file__).resolve().parents[1] / "cage_nb"
SOURCES = sorted(p for p in PKG.glob("*.py") if p.name != "_modidx.py")


def _calls(pattern: str):
    "(file, line number, line) of every code line matching `pattern` (comments and strings aside)."
    hits = []
    for path in SOURCES:
        for no, line in enumerate(path.read_text().splitlines(), start=1):
            code = line.split("#")[0]
            if re.search(pattern, code) and not code.strip().startswith(('"', "'")):
                hits.append((path.name, no, line.strip()))
    return hits


def test_torch_load_is_weights_only():
    calls = _calls(r"\btorch\.load\(")
    assert len(calls) >= 2  # the .pt reader and the storage reader of the pickle loader
    bad = [h for h in calls if "weights_only=True" not in h[2]]
    assert bad == [], bad


def test_no_pickle_load():
    assert _calls(r"\bpickle\.loads?\(") == []
    assert _calls(r"\b(cloudpickle|dill|joblib)\.load") == []


def test_only_the_restricted_unpickler_subclasses_pickle():
    subclasses = _calls(r"pickle\.Unpickler")
    assert [(f, line) for f, _, line in subclasses] == [
        ("gan_checkpoints.py", "class RestrictedUnpickler(pickle.Unpickler):")]
    src = (PKG / "gan_checkpoints.py").read_text()
    assert "def find_class" in src  # it restricts what a pickle may name


@pytest.mark.parametrize("swap", ["dtype", "shape"])
def test_safetensors_not_fitting_its_config_is_refused(tmp_path, swap):
    from cage_nb.core import load_checkpoint, save_checkpoint
    from cage_nb.mintnet import MintNet, MintNetConfig, load_mintnet, save_mintnet
    path = save_mintnet(MintNet(MintNetConfig.tiny()), tmp_path / "m.safetensors")
    tensors, meta = load_checkpoint(path)
    w = tensors["model.blocks.0.t"]
    tensors["model.blocks.0.t"] = w.to(torch.float64) if swap == "dtype" else w[..., :1]
    bad = save_checkpoint(tmp_path / "bad.safetensors", tensors, json.loads(json.dumps(meta)))
    with pytest.raises(ValueError, match=r"bad\.safetensors: tensor 'blocks\.0\.t' is"):
        load_mintnet(bad)
