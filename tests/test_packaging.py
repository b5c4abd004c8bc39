"""Packaging, config and docs-in-step checks."""
import subprocess, sys, tomllib
from pathlib import Path

import cage_nb

ROOT = Path(__file__).resolve().parents[1]

def test_version_matches_package():
    assert cage_nb.__version__.count(".") == 2

def test_nbdev_config_lives_in_pyproject():
    cfg = tomllib.loads((ROOT/"pyproject.toml").read_text())
    assert cfg["tool"]["nbdev"]["tst_flags"].split() == ["notest", "slow", "cuda"]
    assert cfg["project"]["scripts"]["cage_nb"] == "cage_nb.cli:main"
    assert not (ROOT/"settings.ini").exists()
    # dependencies are lower bounds, never exact pins
    assert all("==" not in d for d in cfg["project"]["dependencies"])

def test_readme_in_step_with_index_notebook():
    r = subprocess.run([sys.executable, str(ROOT/"tools"/"make_readme.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_docs_config_present():
    for f in ["_quarto.yml", "nbdev.yml", "styles.css", "index.ipynb"]:
        assert (ROOT/"nbs"/f).exists(), f
    assert "output-dir: _docs" in (ROOT/"nbs"/"nbdev.yml").read_text()

def test_cli_help():
    r = subprocess.run(["cage_nb", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "usage: cage_nb" in r.stdout
