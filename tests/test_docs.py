"""The docs build, as far as it runs without Quarto: nbdev's notebook processing and the sidebar."""
import shutil, subprocess
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]

@pytest.mark.skipif(shutil.which("nbdev-proc-nbs") is None, reason="nbdev not installed")
def test_docs_processing(tmp_path):
    # work on a copy so _proc/ and sidebar.yml never land in the checkout
    src = tmp_path / "repo"
    shutil.copytree(ROOT, src,
                    ignore=shutil.ignore_patterns("_proc", "_docs", ".git", "__pycache__",
                                                  ".hypothesis"))
    r = subprocess.run(["nbdev-proc-nbs"], cwd=src, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    def notebooks(root):
        return sorted(str(p.relative_to(root)) for p in root.rglob("*.ipynb")
                      if not any(part.startswith(".") for part in p.parts))
    nbs = notebooks(src / "nbs")
    assert "results/synthetic.ipynb" in nbs and "results/maf_speed.ipynb" in nbs
    assert notebooks(src / "_proc") == nbs
    r = subprocess.run(["nbdev-sidebar", "--force"], cwd=src, capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    sidebar = (src / "nbs" / "sidebar.yml").read_text()
    assert "core.ipynb" in sidebar and "cage.ipynb" in sidebar
    assert "results/synthetic.ipynb" in sidebar and "results/maf_speed.ipynb" in sidebar
