"""Bad input, invariants and reproducibility of the CAGE core, through the public API."""
import pytest
import torch
from hypothesis import given, settings, strategies as st

from cage_nb.latent import make_pool
from cage_nb.toy import default_toy
from cage_nb.directions import fit_probe, fit_probes, ProbeError, Probe
from cage_nb.counterfactual import reflect, conditional_edit, twins
from cage_nb.cage import cage_scores, parse_graph, tau_isotropic, PlanarPair

@pytest.fixture(scope="module")
def toy_setup():
    toy = default_toy()
    lab = toy.labeler()
    pool = make_pool(toy, lab, n=2000, seed=0)
    return toy, lab, pool, fit_probes(pool)

def test_nan_latents_rejected():
    with pytest.raises(ValueError, match="NaN or Inf"):
        fit_probe(torch.tensor([[0.0, float("inf")], [1.0, 0.0]]), torch.tensor([0.0, 1.0]))

def test_shape_mismatch_rejected(toy_setup):
    toy, lab, pool, probes = toy_setup
    with pytest.raises(ValueError, match="latent dimension"):
        twins(torch.zeros(4, 3), probes["A"])
    with pytest.raises(ValueError, match="values for"):
        fit_probe(pool.z, pool.values[:10, 0])

def test_single_class_rejected(toy_setup):
    toy, lab, pool, probes = toy_setup
    with pytest.raises(ProbeError, match="single class"):
        fit_probes(pool.with_thresholds(A=100.0), names=["A"])

def test_unknown_attribute_rejected(toy_setup):
    toy, lab, pool, probes = toy_setup
    with pytest.raises(KeyError, match="unknown attribute 'Smile'"):
        cage_scores(toy, lab, pool, probes, attributes=["A", "Smile"])

def test_cyclic_graph_rejected():
    with pytest.raises(ValueError, match="cycle"):
        parse_graph({"A": ["B"], "B": ["A"]})

def test_same_seed_identical_scores(toy_setup):
    toy, lab, pool, probes = toy_setup
    r1 = cage_scores(toy, lab, pool, probes, n_boot=100, seed=5)
    r2 = cage_scores(toy, lab, make_pool(toy, lab, n=2000, seed=0),
                     fit_probes(make_pool(toy, lab, n=2000, seed=0)), n_boot=100, seed=5)
    assert torch.equal(r1.tau, r2.tau) and torch.equal(r1.boot, r2.boot)

@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), d=st.integers(2, 10), off=st.floats(-2, 2))
def test_reflection_involution_hypothesis(seed, d, off):
    g = torch.Generator().manual_seed(seed)
    n = torch.randn(d, generator=g, dtype=torch.float64)
    n /= n.norm()
    p = Probe("A", n, off)
    z = torch.randn(32, d, generator=g, dtype=torch.float64)
    r = reflect(z, p)
    assert torch.allclose(reflect(r, p), z, atol=1e-9)
    assert torch.allclose(p.distance(r), -p.distance(z), atol=1e-9)

@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), d=st.integers(3, 10))
def test_conditional_edit_keeps_held_distance(seed, d):
    g = torch.Generator().manual_seed(seed)
    na, nb = torch.randn(d, generator=g), torch.randn(d, generator=g)
    pa, pb = Probe("A", na / na.norm(), 0.3), Probe("B", nb / nb.norm(), -0.2)
    if abs(float(pa.normal @ pb.normal)) > 0.95: return
    z = torch.randn(64, d, generator=g)
    z2 = conditional_edit(z, pa, [pb], target="flip")
    assert torch.allclose(pb.distance(z2), pb.distance(z), atol=1e-5)
    assert torch.allclose(pa.distance(z2), -pa.distance(z), atol=1e-4)

def test_tau_matches_isotropic_identity():
    m = PlanarPair(1.0, d=6, seed=0)
    pool = make_pool(m, m.labeler(), n=20000, seed=1)
    pool.thresholds = torch.zeros(2)
    r = cage_scores(m, m.labeler(), pool, m.probes(), n_boot=300, seed=0)
    t = float(tau_isotropic(1.0))
    lo, hi = r.ci("A", "B")
    assert abs(r.score("A", "B") - t) < 0.02 and abs(r.score("B", "A") - t) < 0.02
    assert lo - 0.01 <= t <= hi + 0.01
