"""Write README.md from nbs/index.ipynb (Quarto-free stand-in for `nbdev-readme`).

Markdown cells are copied as they are; code cells that are not hidden are shown as python
blocks, followed by their text output. `--check` exits 1 when README.md is out of date.
"""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def render(nb_path=ROOT/"nbs"/"index.ipynb") -> str:
    nb = json.loads(Path(nb_path).read_text())
    out = []
    for c in nb["cells"]:
        src = "".join(c["source"]).strip("\n")
        if c["cell_type"] == "markdown": out.append(src)
        elif c["cell_type"] == "code":
            if src.startswith("#|") and any(l.strip() in ("#| hide", "#|hide")
                                            for l in src.splitlines()):
                continue
            out.append("```python\n" + src + "\n```")
            for o in c.get("outputs", []):
                txt = "".join(o.get("text", "") or o.get("data", {}).get("text/plain", ""))
                if txt.strip(): out.append("```\n" + txt.rstrip() + "\n```")
    banner = ("<!-- generated from nbs/index.ipynb by tools/make_readme.py: edit the notebook, "
              "not this file -->")
    return banner + "\n\n" + "\n\n".join(out) + "\n"

if __name__ == "__main__":
    txt, readme = render(), ROOT/"README.md"
    if "--check" in sys.argv:
        if not readme.exists() or readme.read_text() != txt:
            print("README.md is out of step with nbs/index.ipynb: "
                  "run `python tools/make_readme.py`")
            sys.exit(1)
        print("README.md matches nbs/index.ipynb")
    else:
        readme.write_text(txt)
        print("wrote", readme)
