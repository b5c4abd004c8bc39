"""The realism study end to end through the `cage_nb study` commands, as a user (or CI) runs it."""
import json
import subprocess

import pandas as pd


def run(*args, cwd=None):
    return subprocess.run(["cage_nb", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_study_make_rate_analyze(tmp_path):
    study = tmp_path / "study"
    r = run("study", "make", "--out", study, "--source", "toy", "--n-units", 5, "--pool-n", 800)
    assert r.returncode == 0, r.stderr[-2000:]
    pairs = pd.read_csv(study / "pairs.csv")
    key = pd.read_csv(study / "key.csv")
    assert list(pairs.columns) == ["pair_id", "treatment", "unit", "left", "right"]
    assert list(key.columns) == ["pair_id", "comparison", "left_mode", "right_mode"]
    assert len(pairs) == 4 * 5 * 2 and set(key.pair_id) == set(pairs.pair_id)
    assert "mode" not in pd.read_csv(study / "items.csv").columns  # the key lives apart
    cfg = json.loads((study / "config.json").read_text())
    assert cfg["source"] == "toy" and cfg["n_pairs"] == len(pairs)

    r = run("study", "rate", study)
    assert r.returncode == 0, r.stderr[-2000:]
    ratings = pd.read_csv(study / "ratings" / "auto.csv")
    assert sorted(ratings.pair_id) == sorted(pairs.pair_id)
    assert set(ratings.choice) <= {"left", "right"} and (ratings.rater == "auto").all()
    assert run("study", "rate", study).stdout.startswith("auto answered 0 pairs")  # resumes: done

    r = run("study", "analyze", study)
    assert r.returncode == 0, r.stderr[-2000:]
    table = pd.read_csv(study / "analysis" / "preference.csv")
    assert list(table.columns) == ["comparison", "rater", "n", "causal_chosen", "rate", "ci_low",
                                   "ci_high", "p_value"]
    pooled = table[table.rater == "pooled"]
    assert sorted(pooled.comparison) == ["naive", "reversed"] and (pooled.n == 20).all()
    assert ((table.ci_low <= table.rate) & (table.rate <= table.ci_high)).all()
    assert (study / "analysis" / "preference.png").stat().st_size > 1000


def test_study_bad_input(tmp_path):
    r = run("study", "make", "--out", tmp_path / "s", "--source", "nosuch")
    assert r.returncode == 2 and "unknown kit source 'nosuch'" in r.stderr
    r = run("study", "rate", tmp_path / "nothing")
    assert r.returncode == 2 and "not a study folder" in r.stderr
    r = run("study", "make", "--out", tmp_path / "s", "--dry-run", "--n-units", 7)
    assert r.returncode == 0 and json.loads(r.stdout)["n_units"] == 7


def test_widgets_app_writes_a_notebook(tmp_path):
    r = run("widgets", "app", "--out", tmp_path / "app.ipynb", "--app", "panel", "--source", "toy")
    assert r.returncode == 0, r.stderr[-2000:]
    cells = json.loads((tmp_path / "app.ipynb").read_text())["cells"]
    assert "DoConditionPanel" in "".join(c["source"] for c in cells)
