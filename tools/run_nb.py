"""Execute notebooks in place so their outputs (tables, figures) are stored for the docs site.

Usage: python tools/run_nb.py nbs/02_directions.ipynb [...]   (then run nbdev-clean)
Runs at full size (IN_TEST unset), in the notebook's folder, and stops at the first error.
"""
import os, sys
from pathlib import Path
from fastcore.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

os.environ.pop("IN_TEST", None)
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
for p in map(Path, sys.argv[1:]):
    nb, cwd = read_nb(p), os.getcwd()
    os.chdir(p.parent)
    try:
        sh = CaptureShell()
        sh.run_all(nb, exc_stop=True)
    finally: os.chdir(cwd)
    write_nb(nb, p)
    print("executed", p)
