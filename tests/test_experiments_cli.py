"""The experiment commands (bench, pair, pairs, morpho, demo morpho), as a user runs them."""
import json, subprocess, sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

FIX = Path(__file__).parent / "fixtures"

def run(*args, cwd=None):
    return subprocess.run(["cage_nb", *map(str, args)], capture_output=True, text=True, cwd=cwd)

def test_bench_synthetic_quick(tmp_path):
    r = run("bench", "synthetic", "--quick", "--families", "hoyer2009", "--n-datasets", "2",
            "--out", tmp_path)
    assert r.returncode == 0, r.stderr[-2000:]
    res = pd.read_csv(tmp_path / "results.csv")
    assert list(res.columns) == ["family", "dataset", "method", "truth", "decision", "score",
                                 "seconds"]
    assert {"cage-r1", "cage-r2", "cage-single-index", "cage-order-lr", "carefl"} <= set(res.method)
    assert set(res.decision) <= {"x->y", "y->x", "undecided"} and res.dataset.nunique() == 2
    md = (tmp_path / "summary.md").read_text()
    assert "Wilson" in md and "Tagasovska" in md
    assert (tmp_path / "accuracy.png").stat().st_size > 1000

def test_bench_rejects_unknown_family(tmp_path):
    r = run("bench", "synthetic", "--quick", "--families", "nosuch", "--out", tmp_path)
    assert r.returncode == 2 and "unknown families" in r.stderr

def _csv(path, n=300, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.laplace(size=n)
    pd.DataFrame({"cause": x, "effect": x + 0.5 * x ** 3 + rng.laplace(size=n)}).to_csv(path,
                                                                                        index=False)
    return path

def test_pair_and_pairs(tmp_path):
    a, b = _csv(tmp_path / "a.csv"), _csv(tmp_path / "b.csv", seed=1)
    r = run("pair", a, "--x", "cause", "--y", "effect", "--out", tmp_path / "o1", "--quick")
    assert r.returncode == 0, r.stderr[-2000:]
    rep = json.loads((tmp_path / "o1" / "a_cause_effect.json").read_text())
    assert rep["decision"] in ("x->y", "y->x", "undecided") and "maf" in rep and "tau_xy_ci" in rep
    assert (tmp_path / "o1" / "a_cause_effect.png").exists()
    r = run("pairs", a, b, "--out", tmp_path / "o2", "--quick")
    assert r.returncode == 0, r.stderr[-2000:]
    assert len(pd.read_csv(tmp_path / "o2" / "pairs.csv")) == 2

@pytest.mark.parametrize("content,msg", [
    ("x,y\n" + "1,2\n" * 10, "only 10 rows"),
    ("x,y\n" + "".join(f"{i},a\n" for i in range(60)), "not numeric"),
    ("x,y\n" + "".join(f"{i},1\n" for i in range(60)), "constant"),
    ("x,y\n" + "".join(f"{i},{i*2}\n" for i in range(59)) + "1,\n", "NaN"),
])
def test_pair_bad_csv(tmp_path, content, msg):
    f = tmp_path / "bad.csv"
    f.write_text(content)
    r = run("pair", f, "--out", tmp_path / "o", "--quick")
    assert r.returncode == 2 and msg in r.stderr and "bad.csv" in r.stderr, r.stderr

def test_pair_missing_column(tmp_path):
    f = _csv(tmp_path / "a.csv")
    r = run("pair", f, "--x", "cause", "--y", "nope", "--out", tmp_path / "o", "--quick")
    assert r.returncode == 2 and "no column 'nope'" in r.stderr

def test_morpho_measure_make_data_train(tmp_path):
    r = run("morpho", "measure", FIX / "morpho-digits-idx3-ubyte.gz", "--out", tmp_path / "m.csv")
    assert r.returncode == 0, r.stderr[-2000:]
    m = pd.read_csv(tmp_path / "m.csv")
    assert len(m) == 4 and {"thickness", "intensity", "slant"} <= set(m.columns)
    r = run("morpho", "make-data", "--out", tmp_path / "data", "--n-train", 24, "--n-test", 8)
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "data" / "train-morpho.csv").exists()
    assert (tmp_path / "data" / "t10k-images-idx3-ubyte.gz").exists()
    r = run("morpho", "train", "--config", "toy", "--data", tmp_path / "data", "--out",
            tmp_path / "model", "--steps", 2, "--device", "cpu")
    assert r.returncode == 0, r.stderr[-2000:]
    assert (tmp_path / "model" / "mintnet.safetensors").exists() and "bits/dim" in r.stdout
    cfg = json.loads((tmp_path / "model" / "config.json").read_text())
    # the recorded command is the call that was parsed (`--config toy` is the default)
    assert cfg["command"] == (f"cage_nb morpho train --out {tmp_path / 'model'} "
                              f"--data {tmp_path / 'data'} --steps 2 --device cpu")

def test_morpho_train_records_its_own_arguments_from_python(tmp_path, monkeypatch):
    # called from Python, the command records the argv it was given, not the process's sys.argv
    from cage_nb import cli
    monkeypatch.setattr(sys, "argv", ["pytest", "-q", "--some-flag"])
    argv = ["morpho", "train", "--out", str(tmp_path / "m"), "--n-train", "16", "--steps", "1",
            "--batch-size", "8", "--device", "cpu"]
    assert cli.main(argv) == 0
    cfg = json.loads((tmp_path / "m" / "config.json").read_text())
    assert cfg["command"] == "cage_nb " + " ".join(argv)
    assert cfg["steps"] == 1 and cfg["n_train"] == 16

def test_morpho_train_dry_run_paper():
    r = run("morpho", "train", "--config", "paper", "--out", "x", "--dry-run")
    cfg = json.loads(r.stdout)
    assert cfg["config"] == "paper" and cfg["epochs"] == 250

def test_demo_morpho(tmp_path):
    r = run("demo", "morpho", "--out", tmp_path, "--n", 40, "--n-boot", 40, "--edit-steps", 1)
    assert r.returncode == 0, r.stderr[-3000:]
    for f in ["config.json", "counterfactuals.csv", "counterfactuals.png"]:
        assert (tmp_path / f).exists(), f
    assert json.loads((tmp_path / "config.json").read_text())["edit_steps"] == 1
    cf = pd.read_csv(tmp_path / "counterfactuals.csv")
    # a correction keeps the best iterate
    assert (cf.target_error <= cf.target_error_one_step * (1 + 1e-5) + 1e-6).all()
    if (tmp_path / "decisions.csv").exists():
        d = pd.read_csv(tmp_path / "decisions.csv", keep_default_na=False)
        assert list(d.columns) == ["a", "b", "rule", "decision", "margin", "ci_low", "ci_high",
                                   "truth"]
        assert (d[(d.a == "thickness") & (d.b == "intensity")].truth == "a->b").all()
