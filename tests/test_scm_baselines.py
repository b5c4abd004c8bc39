"""Synthetic cause-effect pairs (cage_nb.scm) and bivariate direction baselines (baselines)."""
import numpy as np
import pandas as pd
import pytest
import torch
from scipy.stats import kurtosis

from cage_nb.scm import (BQCD_FAMILIES, CAREFL_FAMILIES, DEFAULT_N, FAMILIES, PairData,
                         load_pair_csv,
                         make_benchmark, make_pair, plot_families)
from cage_nb.baselines import (BASELINES, OrderLL, Verdict, carefl, check_pair, decide, igci,
                               lingam,
                               order_loglik_ratio, reci, run_baseline)

torch.set_num_threads(1)


# ---------------------------------------------------------------- scm
def test_families_registry():
    assert set(FAMILIES) == set(CAREFL_FAMILIES) | set(BQCD_FAMILIES)
    assert set(CAREFL_FAMILIES) == {"linear", "hoyer2009", "neuralnet", "mnm"}
    assert set(BQCD_FAMILIES) == {"AN", "AN-s", "LS", "LS-s", "MN-U"}
    assert all(DEFAULT_N[f] > 0 for f in FAMILIES)


@pytest.mark.parametrize("family", list(FAMILIES))
def test_make_pair_every_family(family):
    p = make_pair(family, seed=3, n=300)
    assert isinstance(p, PairData) and p.truth in ("x->y", "y->x") and p.family == family
    a = p.as_array()
    assert a.shape == (300, 2) and a.dtype == np.float32 and np.isfinite(a).all()
    np.testing.assert_allclose(a.mean(0), 0, atol=1e-5)
    np.testing.assert_allclose(a.std(0), 1, atol=1e-5)
    q = make_pair(family, seed=3, n=300)  # fully determined by the seed
    np.testing.assert_array_equal(p.x, q.x)
    np.testing.assert_array_equal(p.y, q.y)
    assert make_pair(family, seed=3, n=700).truth == p.truth  # orientation independent of n
    assert not np.array_equal(make_pair(family, seed=4, n=300).x, p.x)


def test_gaussian_noise_variant_and_names():
    p = make_pair("hoyer2009", seed=1, noise="gaussian", n=100)
    assert p.family == "hoyer2009-gauss" and p.name == "hoyer2009-gauss-s1"
    with pytest.raises(ValueError, match="own noise"): make_pair("LS", noise="gaussian")
    with pytest.raises(ValueError, match="unknown family"): make_pair("hoyer")


def test_truth_marks_the_cause():
    # Laplace linear: the cause is Laplace (excess kurtosis 3), the effect a Laplace sum (1.5)
    for s in range(2):
        p = make_pair("linear", seed=s, n=100_000)
        c, e = (p.x, p.y) if p.truth == "x->y" else (p.y, p.x)
        assert abs(kurtosis(c) - 3) < 0.4 and abs(kurtosis(e) - 1.5) < 0.4
    # raw AN data: the cause is the scale mixture sqrt(U(1,2)) N(0,1), variance 1.5
    p = make_pair("AN", seed=0, n=50_000, standardize=False)
    c = p.x if p.truth == "x->y" else p.y
    assert abs(c.var() - 1.5) < 0.05


def test_swapped_and_benchmark():
    p = make_pair("mnm", seed=0, n=100)
    s = p.swapped()
    np.testing.assert_array_equal(s.x, p.y)
    assert s.truth != p.truth
    b = make_benchmark(["linear", "AN"], n_datasets=30, n=60, seed=5)
    assert len(b) == 60 and len({q.name for q in b}) == 60
    assert 0.25 < np.mean([q.truth == "x->y" for q in b]) < 0.75
    assert b[0].name == "linear-s5"
    with pytest.raises(ValueError, match="unknown families"): make_benchmark(["nope"])


def test_plot_families():
    import matplotlib
    matplotlib.use("Agg")
    fig = plot_families(["linear", "AN-s"], n=100)
    assert sum(ax.get_visible() for ax in fig.axes) == 2


def _write(tmp_path, name, **cols):
    f = tmp_path / name
    pd.DataFrame(cols).to_csv(f, index=False)
    return f


def test_load_pair_csv_ok(tmp_path):
    r = np.random.default_rng(0).normal(size=80)
    f = _write(tmp_path, "ok.csv", a=r, b=r ** 2 + 1, c=-r)
    p = load_pair_csv(f)
    assert p.truth == "" and p.n == 80 and p.family == "csv" and p.seed is None
    np.testing.assert_allclose(p.x, (r - r.mean()) / r.std())
    q = load_pair_csv(f, x="c", y="a", standardize=False)
    np.testing.assert_allclose(q.x, -r)
    np.testing.assert_allclose(q.y, r)


@pytest.mark.parametrize("case,match", [
    ("nan", "'b' has 1 NaN"), ("const", "'b' is constant"), ("short", "only 30 rows"),
    ("text", "'b' is not numeric"), ("missing", "no column 'zz'"), ("onecol", "at least 2 columns"),
])
def test_load_pair_csv_errors(tmp_path, case, match):
    r = np.random.default_rng(1).normal(size=100)
    kw = {}
    if case == "nan":
        f = _write(tmp_path, "bad.csv", a=r, b=np.where(np.arange(100) == 9, np.nan, r))
    if case == "const": f = _write(tmp_path, "bad.csv", a=r, b=np.full(100, 2.0))
    if case == "short": f = _write(tmp_path, "bad.csv", a=r[:30], b=r[:30] ** 3)
    if case == "text": f = _write(tmp_path, "bad.csv", a=r, b=["x"] + list(r[1:]))
    if case == "missing":
        f = _write(tmp_path, "bad.csv", a=r, b=r)
        kw = dict(x="a", y="zz")
    if case == "onecol": f = _write(tmp_path, "bad.csv", a=r)
    with pytest.raises(ValueError, match=match) as e: load_pair_csv(f, **kw)
    assert "bad.csv" in str(e.value)  # the error names the file


def test_load_pair_csv_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError): load_pair_csv(tmp_path / "nothere.csv")


# ---------------------------------------------------------------- baselines
def test_registry_and_verdict():
    assert list(BASELINES) == ["anm", "lingam", "reci", "igci", "igci-gauss", "carefl"]
    v = reci(*_hoyer().as_array().T)
    assert isinstance(v, Verdict) and v.decision in ("x->y", "y->x", "undecided") and v.seconds >= 0
    assert decide(1e-3) == "x->y" and decide(-5) == "y->x" and decide(0.0) == "undecided"
    with pytest.raises(ValueError, match="unknown baseline"): run_baseline("cdt", [0], [0])


def _hoyer(seed=0, n=400):
    return make_pair("hoyer2009", seed=seed, n=n)


FAST = {"carefl": dict(steps=150), "anm": dict(max_n=300)}


@pytest.mark.parametrize("name", list(BASELINES))
def test_baseline_known_answer_and_antisymmetry(name):
    d = make_pair("linear", seed=0, n=400) if name == "lingam" else _hoyer()
    kw = FAST.get(name, {})
    v, w = run_baseline(name, d.x, d.y, **kw), run_baseline(name, d.y, d.x, **kw)
    assert v.decision == d.truth
    assert w.decision == d.swapped().truth
    assert np.sign(v.score) == -np.sign(w.score)
    assert run_baseline(name, d.x, d.y, **kw)[:2] == v[:2]  # deterministic given the seed


@pytest.mark.parametrize("name", list(BASELINES))
def test_baseline_bad_input(name):
    d = _hoyer(n=100)
    with pytest.raises(ValueError, match="NaN"): run_baseline(name, np.r_[np.nan, d.x[1:]], d.y)
    with pytest.raises(ValueError, match="differ in length"): run_baseline(name, d.x, d.y[:-3])
    with pytest.raises(ValueError, match="constant"): run_baseline(name, d.x, np.ones_like(d.y))


def test_exact_antisymmetry_of_closed_form_scores():
    d = make_pair("AN", seed=2, n=500)
    for f in (reci, igci, lingam):
        assert abs(f(d.x, d.y).score + f(d.y, d.x).score) < 1e-9
    for kw in (dict(ref="gaussian"), dict(estimator="entropy")):
        assert abs(igci(d.x, d.y, **kw).score + igci(d.y, d.x, **kw).score) < 1e-9


def test_igci_deterministic_mechanism():
    c = np.random.default_rng(0).uniform(0, 1, 400)
    for kw in ({}, dict(ref="gaussian"), dict(estimator="entropy")):
        assert igci(c, c ** 3, **kw).decision == "x->y"


def test_lingam_score_sign_matches_directlingam():
    for s in range(5):
        for fam in ("linear", "mnm"):
            d = make_pair(fam, seed=s, n=300)
            v = lingam(d.x, d.y)
            assert decide(v.score) == v.decision


def test_order_loglik_ratio_contract():
    d = _hoyer(seed=1, n=300)
    r = order_loglik_ratio(d.as_array(), seed=0, steps=150)
    assert isinstance(r, OrderLL)
    score, ll_xy, ll_yx = r.score, r.ll_xy, r.ll_yx
    assert (r.n_off, r.n_test) == (0, 60)  # every held-out row counts by default
    assert score == pytest.approx(ll_xy - ll_yx)
    assert decide(score) == d.truth
    assert order_loglik_ratio(d.as_array(), seed=0, steps=150) == r         # same seed, same result
    # tensors accepted
    r2 = order_loglik_ratio(torch.tensor(d.swapped().as_array()), seed=0, steps=150)
    assert r2.score == pytest.approx(-r.score, abs=1e-6)
    assert r2.ll_xy == pytest.approx(r.ll_yx, abs=1e-6)
    with pytest.raises(ValueError, match="n × 2"): order_loglik_ratio(np.zeros((50, 3)))
    with pytest.raises(ValueError, match="prior"): order_loglik_ratio(d.as_array(), prior="cauchy")


def test_carefl_matches_order_loglik_ratio():
    d = _hoyer(seed=3, n=300)
    v = carefl(d.x, d.y, seed=1, steps=100)
    assert v.score == order_loglik_ratio(np.stack([d.x, d.y], 1), seed=1, steps=100).score


def test_check_pair_accepts_column_vectors_and_tensors():
    x, y = check_pair(torch.arange(30.)[:, None], np.arange(30)[:, None] ** 2)
    assert x.shape == (30,) and y.dtype == np.float64
    with pytest.raises(ValueError, match="at least 20"): check_pair(np.arange(5.), np.arange(5.))
