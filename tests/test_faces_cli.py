"""`cage_nb faces make-data` run as a user would: a small SynthFaces folder, read back."""
import json
import subprocess

import numpy as np
import pandas as pd


def run(*args):
    return subprocess.run(["cage_nb", *map(str, args)], capture_output=True, text=True)


def test_make_data_writes_images_and_truth(tmp_path):
    out = tmp_path / "faces"
    r = run("faces", "make-data", "--out", out, "--n", 12, "--scm", "B", "--size", 32, "--seed", 3)
    assert r.returncode == 0, r.stderr[-2000:]
    truth = pd.read_csv(out / "truth.csv")
    assert len(truth) == 12 and truth.file.iloc[0] == "images/000000.png"
    assert {"value_Bald", "label_Bald", "nuisance_pose_x"} <= set(truth.columns)
    assert truth.filter(like="label_").isin([0, 1]).all().all()
    assert len(list((out / "images").glob("*.png"))) == 12 and (out / "grid.png").exists()
    config = json.loads((out / "config.json").read_text())
    assert config["scm"] == "B" and config["command"].startswith("cage_nb faces make-data")
    from cage_nb.synthfaces import load_faces, make_synthfaces
    back, again = load_faces(out), make_synthfaces(12, "B", size=32, seed=3)
    assert np.array_equal(back.images, again.images)  # deterministic, and PNG is lossless
    assert np.array_equal(back.labels.values, again.labels.values)


def test_make_data_rejects_bad_scm(tmp_path):
    r = run("faces", "make-data", "--out", tmp_path, "--n", 5, "--scm", "C")
    assert r.returncode == 2 and "invalid choice: 'C'" in r.stderr


def test_make_data_dry_run(tmp_path):
    r = run("faces", "make-data", "--out", tmp_path / "x", "--n", 5, "--scm", "A", "--dry-run")
    assert r.returncode == 0 and json.loads(r.stdout)["n"] == 5
    assert not (tmp_path / "x").exists()
