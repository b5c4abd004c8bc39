"""Code-density table of issue 13, measured on the package and its notebooks.

    python tools/density.py [--package cage_nb] [--nbs nbs]

Prints, for `cage_nb/*.py` without `_modidx.py`: lines over 100 and over 120 characters,
lines where `;` joins statements (ruff E702/E703), unused imports (ruff F401), lines per export
cell and definitions per export cell (for 04_cage, 13_synthetic, 24_morpho), and the share of
public function parameters that carry a docment.
"""
import argparse
import ast
import json
import subprocess
from pathlib import Path

from fastcore.docments import docments


def line_stats(files):
    "Total lines and lines longer than 100 and 120 characters."
    lines = [line for f in files for line in f.read_text().splitlines()]
    return len(lines), sum(len(x) > 100 for x in lines), sum(len(x) > 120 for x in lines)


def ruff_count(paths, rules):
    "Findings of the given ruff rules (ignoring the project's per-file exceptions)."
    cmd = ["ruff", "check", "--isolated", "--select", rules, "--output-format", "json", *paths]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return len(json.loads(out or "[]"))


def export_cells(nb_path):
    "Lines and top-level definitions of each `#| export` cell."
    cells = json.loads(Path(nb_path).read_text())["cells"]
    stats = []
    for cell in cells:
        src = "".join(cell["source"])
        if cell["cell_type"] != "code" or not src.startswith("#| export"):
            continue
        tree = ast.parse(src)
        defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        if defs:
            stats.append((len(src.splitlines()) - 1, len(defs)))
    return stats


def docment_share(module_names):
    "Share of public function parameters (not self) that carry a docment."
    import importlib
    total = 0
    documented = 0
    for name in module_names:
        mod = importlib.import_module(name)
        for obj_name in getattr(mod, "__all__", []):
            obj = getattr(mod, obj_name)
            if not callable(obj) or isinstance(obj, type):
                continue
            try:
                docs = docments(obj, full=True)
            except Exception:
                continue
            for pname, info in docs.items():
                if pname in ("return", "self"):
                    continue
                total += 1
                documented += bool(info.get("docment"))
    return documented, total


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--package", default="cage_nb")
    ap.add_argument("--nbs", default="nbs")
    args = ap.parse_args()
    files = sorted(p for p in Path(args.package).glob("*.py") if p.name != "_modidx.py")
    total, over100, over120 = line_stats(files)
    paths = [str(f) for f in files]
    print(f"package lines: {total}")
    print(f"lines > 100: {over100} ({over100 / total:.1%})")
    print(f"lines > 120: {over120} ({over120 / total:.1%})")
    print(f"';'-joined statements (E702/E703): {ruff_count(paths, 'E702,E703')}")
    print(f"unused imports (F401): {ruff_count(paths, 'F401')}")
    for nb in ["04_cage", "13_synthetic", "24_morpho"]:
        stats = export_cells(Path(args.nbs) / f"{nb}.ipynb")
        lines = sum(s[0] for s in stats) / len(stats)
        defs = sum(s[1] for s in stats) / len(stats)
        print(f"{nb}: {len(stats)} export cells, {lines:.1f} lines and {defs:.2f} definitions each")
    modules = [f"{args.package}.{f.stem}" for f in files if not f.stem.startswith("_")]
    documented, n_params = docment_share(modules)
    share = documented / n_params
    print(f"public parameters with a docment: {documented}/{n_params} ({share:.0%})")


if __name__ == "__main__":
    main()
