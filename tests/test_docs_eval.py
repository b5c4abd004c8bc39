"""nbdev's docs processing executes every cell that imports something, out of the notebook's
context. A cell that mixes imports with other code then runs without the names defined in the
cells around it and breaks the docs build (the stop-14 CI failure). This check is static and fast;
`test_docs.py` runs the processing itself."""
import ast, json
from pathlib import Path
import pytest

nbdev_process = pytest.importorskip("nbdev.process")
from nbdev.processors import _do_eval

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for p in (ROOT / "nbs").rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
RUN_ANYWAY = {"export", "exports", "exporti", "exec_doc"}

def _is_show_doc(tree):
    func = getattr(getattr(tree, "value", None), "func", None)
    return isinstance(tree, ast.Expr) and getattr(func, "id", None) == "show_doc"

def out_of_context_cells(path):
    "Non-export cells that nbdev's docs processing executes although they hold more than imports."
    bad = []
    for c in nbdev_process.NBProcessor(path).nb.cells:
        if c.cell_type != "code" or not c.source or c.directives_.keys() & RUN_ANYWAY:
            continue
        if not _do_eval(c):
            continue
        trees = c.parsed_()
        if not all(isinstance(t, (ast.Import, ast.ImportFrom)) or _is_show_doc(t) for t in trees):
            bad.append(c.idx_)
    return bad

def test_finds_a_mixed_cell(tmp_path):
    cell = dict(cell_type="code", execution_count=None, id="a", metadata={}, outputs=[],
                source=["import os\n", "x = y + 1"])
    nb = dict(cells=[cell], metadata={}, nbformat=4, nbformat_minor=5)
    (tmp_path / "t.ipynb").write_text(json.dumps(nb))
    assert out_of_context_cells(tmp_path / "t.ipynb") == [0]

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_cell_mixes_imports_and_code(path):
    assert out_of_context_cells(path) == [], "split these cells: imports in a cell of their own"
