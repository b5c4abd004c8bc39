"""The Quarto site configuration: nbdev would not rewrite it, and what it names exists."""
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
yaml = pytest.importorskip("yaml")


def test_nbdev_yml_is_what_nbdev_writes(tmp_path):
    # every docs build runs nbdev's refresh_quarto_yml first: a stale nbdev.yml would be rewritten
    quarto = pytest.importorskip("nbdev.quarto")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(ROOT / "nbs", tmp_path / "nbs", ignore=shutil.ignore_patterns("*.ipynb"))
    before = {f: (tmp_path / "nbs" / f).read_text() for f in ("nbdev.yml", "_quarto.yml")}
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        quarto.refresh_quarto_yml()
    finally:
        os.chdir(cwd)
    for f, text in before.items():
        assert (tmp_path / "nbs" / f).read_text() == text, f"nbdev would rewrite nbs/{f}"


def test_quarto_yml_is_a_complete_website():
    cfg = yaml.safe_load((ROOT / "nbs" / "_quarto.yml").read_text())
    nbdev_cfg = yaml.safe_load((ROOT / "nbs" / "nbdev.yml").read_text())
    assert cfg["project"]["type"] == "website"
    assert nbdev_cfg["project"]["output-dir"] == "_docs"
    assert cfg["metadata-files"] == ["nbdev.yml", "sidebar.yml"]  # sidebar.yml: made by nbdev
    assert (ROOT / "nbs" / cfg["format"]["html"]["css"]).exists()
    assert cfg["execute"]["enabled"] is False  # notebooks render with their stored outputs
    site = nbdev_cfg["website"]
    assert site["repo-url"].startswith("https://") and site["site-url"].startswith("https://")
    assert site["title"] and site["description"]
