"""`cage_nb demo faces` run as a user would: the offline default at a tiny size, and bad input."""
import json
import subprocess

import pandas as pd

TINY = ["--n-pool", 96, "--n-units", 24, "--n-boot", 100, "--order-lr-steps", 30,
        "--attributes", "Young", "Male", "Bald", "Smiling", "--interventions", "Male=1"]


def run(*args):
    return subprocess.run(["cage_nb", *map(str, args)], capture_output=True, text=True)


def test_demo_faces_writes_run_folder(tmp_path):
    out = tmp_path / "run"
    r = run("demo", "faces", "--out", out, *TINY)
    assert r.returncode == 0, r.stderr[-2000:]
    files = {p.name for p in out.iterdir()}
    assert {"config.json", "scores.csv", "decisions.csv", "dag.png", "counterfactuals.csv",
            "counterfactuals_Male=1.png"} <= files
    dec = pd.read_csv(out / "decisions.csv")
    assert "truth" in dec.columns and set(dec.truth) <= {"a->b", "b->a", "undecided"}
    assert json.loads((out / "config.json").read_text())["truth"] == "SynthFaces SCM-B"
    cf = pd.read_csv(out / "counterfactuals.csv")
    assert {"naive", "reversed", "conditional", "causal (true)"} <= set(cf.edit)


def test_demo_faces_dry_run_and_bad_input(tmp_path):
    r = run("demo", "faces", "--out", tmp_path / "x", "--dry-run")
    assert r.returncode == 0 and json.loads(r.stdout)["n_pool"] > 0
    assert not (tmp_path / "x").exists()
    r = run("demo", "faces", "--out", tmp_path / "x", "--data", tmp_path)
    assert r.returncode == 2 and "needs --checkpoint" in r.stderr
    r = run("demo", "faces", "--out", tmp_path / "x", "--interventions", "Beard=1")
    assert r.returncode == 2 and "NAME=0 or NAME=1" in r.stderr


def test_demo_faces_celeba_path_on_fixtures(tmp_path):
    from cage_nb.faces_model import shipped_face_generator, write_celeba_folder
    from cage_nb.gan_checkpoints import write_rosinality_pt
    from cage_nb.synthfaces import make_synthfaces

    data = write_celeba_folder(make_synthfaces(240, "B", size=32, seed=1), tmp_path / "celeba")
    pt = write_rosinality_pt(tmp_path / "g.pt", shipped_face_generator())
    out = tmp_path / "run"
    r = run("demo", "faces", "--out", out, "--data", data, "--checkpoint", pt,
            "--n-pool", 96, "--n-units", 24, "--n-boot", 100, "--order-lr-steps", 30,
            "--attributes", "Young", "Male", "Eyeglasses", "Smiling",
            "--interventions", "Young=1", "--fraction", 1.0)
    assert r.returncode == 0, r.stderr[-2000:]
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["truth"].startswith("guessed priors") and cfg["labels"] == "probs"
    dec = pd.read_csv(out / "decisions.csv")
    assert set(dec.truth) <= {"a->b", "b->a", "unknown"}
    assert {"scores.csv", "dag.png"} <= {p.name for p in out.iterdir()}
