"""kill -9 during MAF training, three times: the run resumes from an intact checkpoint each time,
ends at its step count with the weights and loss curve of an uninterrupted run, and leaves no
temporary file behind. Uses the driver of `benchmarks/kill_resume.py` (20 kills, all trainers)."""
import importlib.util
import random
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _bench():
    path = ROOT / "benchmarks" / "kill_resume.py"
    spec = importlib.util.spec_from_file_location("kill_resume", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_maf_survives_three_kills():
    kr = _bench()
    kr.STEPS["maf"] = 40
    folder = Path(tempfile.mkdtemp(prefix="kill_ci_"))
    ref, seconds = kr.reference("maf", folder, seed=0)
    seen = kr.killed_run("maf", folder, 0, kills=3, step_s=seconds / 40 / 3, rng=random.Random(0))
    assert seen["kills"] == 3 and seen["readable"] == 3, seen
    assert seen["steps"] == sorted(seen["steps"]) and all(0 < s < 40 for s in seen["steps"])
    assert seen["final"][0] == ref[0] == 40
    assert kr.same(seen["final"], ref)  # weights to the bit, and the same loss curve
    assert seen["stray"] == [], seen["stray"]
