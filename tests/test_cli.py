"""The `cage_nb` command line, run as a user would."""
import json, subprocess

import pandas as pd
import pytest

def run(*args):
    return subprocess.run(["cage_nb", *args], capture_output=True, text=True)

def test_help_lists_demo():
    r = run("--help")
    assert r.returncode == 0 and "demo" in r.stdout

def test_demo_dry_run_prints_config():
    r = run("demo", "--dry-run", "--n", "123")
    assert r.returncode == 0
    cfg = json.loads(r.stdout)
    assert cfg["n"] == 123 and cfg["rule"] == "order-lr" and cfg["experiment"] == "toy"

def test_demo_writes_run_folder(tmp_path):
    r = run("demo", "--out", str(tmp_path), "--n", "10000", "--n-boot", "200")
    assert r.returncode == 0, r.stderr
    for f in ["config.json", "scores.csv", "scores.md", "decisions.csv", "decisions.md",
              "decisions.png"]:
        assert (tmp_path / f).exists(), f
    # keep "undecided"/"" as text
    dec = pd.read_csv(tmp_path / "decisions.csv", keep_default_na=False)
    # NaN where not computed
    for c in ("margin", "ci_low", "ci_high"): dec[c] = pd.to_numeric(dec[c], errors="coerce")
    assert list(dec.columns) == ["a", "b", "rule", "decision", "margin", "ci_low", "ci_high",
                                 "truth"]
    # no decision contradicts the truth, and the default rule (order-lr) and single-index get A -> B
    assert ((dec.decision == dec.truth) | (dec.decision == "undecided")).all()
    for rule in ("order-lr", "single-index"):
        ab = dec[(dec.a == "A") & (dec.b == "B") & (dec.rule == rule)].iloc[0]
        assert ab.decision == "a->b" and ab.ci_low > 0, rule
    sc = pd.read_csv(tmp_path / "scores.csv")
    assert list(sc.columns) == ["treatment", "outcome", "tau", "ci_low", "ci_high",
                                "treatment_success"]
    assert (sc.ci_low <= sc.tau).all() and (sc.tau <= sc.ci_high).all()
    assert "Direction decisions" in r.stdout

def test_demo_same_seed_same_scores(tmp_path):
    for d in ("a", "b"):
        assert run("demo", "--out", str(tmp_path / d), "--n", "1500", "--n-boot",
                   "100").returncode == 0
    assert (tmp_path / "a" / "scores.csv").read_text() == (tmp_path / "b"
                                                           / "scores.csv").read_text()

@pytest.mark.parametrize("args,msg", [
    (["demo", "nosuch", "--out", "x"], "invalid choice: 'nosuch'"),  # argparse names the demos
    (["demo"], "--out DIR is required"),
    (["demo", "--out", "x", "--rule", "r9"], "unknown rule 'r9'"),
])
def test_demo_bad_input(args, msg, tmp_path):
    r = subprocess.run(["cage_nb", *args], capture_output=True, text=True, cwd=tmp_path)
    assert r.returncode == 2 and msg in r.stderr, r.stderr
