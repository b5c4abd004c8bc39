"""Shared pytest settings: hypothesis profiles for the fuzz tests.

`ci` (the default) runs a few dozen generated cases per entry point; `nightly` runs 1000.
Choose with `CAGE_NB_FUZZ=nightly pytest tests/test_fuzz.py --hypothesis-show-statistics`.
"""
import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                       HealthCheck.too_slow])
settings.register_profile("ci", max_examples=40, **_COMMON)
settings.register_profile("nightly", max_examples=1000, **_COMMON)
settings.load_profile(os.environ.get("CAGE_NB_FUZZ", "ci"))
