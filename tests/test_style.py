"""The form of the generated package: short lines (but for nbdev's own), one statement a line."""
import io, tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = sorted(p for p in (ROOT / "cage_nb").glob("*.py") if p.name != "_modidx.py")

def test_few_long_lines_in_the_package():
    # ruff checks the notebooks at 100 characters; the package is exempt from E501 because nbdev
    # writes some long lines itself (`__all__` lists, module docstrings): keep them rare
    lines = [l for p in PACKAGE for l in p.read_text().splitlines()]
    long = [l for l in lines if len(l) > 100]
    assert len(long) <= 0.02 * len(lines), f"{len(long)} of {len(lines)} lines over 100 characters"

def test_no_semicolon_joined_statements():
    joined = []
    for p in PACKAGE:
        depth = 0
        for t in tokenize.generate_tokens(io.StringIO(p.read_text()).readline):
            if t.type == tokenize.OP and t.string in "([{":
                depth += 1
            elif t.type == tokenize.OP and t.string in ")]}":
                depth -= 1
            elif t.type == tokenize.OP and t.string == ";" and depth == 0:
                joined.append(f"{p.name}:{t.start[0]}")
    assert not joined, joined
