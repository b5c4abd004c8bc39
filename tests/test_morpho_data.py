"""Morphometrics and Morpho-MNIST data: golden values, invariances, IDX/CSV fuzzing, bad input."""
import math, warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, HealthCheck, strategies as st

from cage_nb.morphometrics import (MORPHO_FIELDS, measure_image, measure_batch, set_thickness,
                                   set_intensity, set_slant, thin, thicken)
from cage_nb.digits import (read_idx, write_idx, load_mnist_idx, scm_intensity, make_morpho_scm,
                            save_morpho_scm, load_morpho_scm, read_morpho_csv, measure_to_csv)

FIX = Path(__file__).parent / "fixtures"

@pytest.fixture(scope="module")
def digits():
    return read_idx(FIX / "morpho-digits-idx3-ubyte.gz")

def test_golden_measurements(digits):
    "Measurements of four committed digits match the recorded values (no silent changes)."
    gold = pd.read_csv(FIX / "morpho-digits-golden.csv")
    got = measure_batch(digits, progress=False)
    np.testing.assert_allclose(got[MORPHO_FIELDS].to_numpy(), gold[MORPHO_FIELDS].to_numpy(),
                               rtol=1e-6, atol=1e-6)

def test_batch_equals_single(digits):
    df = measure_batch(digits, progress=False, chunk=3)
    for k, img in enumerate(digits):
        np.testing.assert_allclose(df.iloc[k].to_numpy(), np.array(measure_image(img)), rtol=1e-12)

def test_parallel_equals_serial(digits):
    a = measure_batch(digits, progress=False)
    b = measure_batch(digits, progress=False, n_jobs=2, chunk=2)
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-12)

def test_translation_invariance(digits):
    "Shifting a digit inside the frame changes no measurement."
    for img in digits:
        m0 = np.array(measure_image(img))
        ys, xs = np.nonzero(img)
        for dy, dx in [(1, 0), (0, -1), (-1, 1)]:
            if ys.min() + dy < 2 or ys.max() + dy > 25 or xs.min() + dx < 2 or xs.max() + dx > 25:
                continue
            np.testing.assert_allclose(np.array(measure_image(np.roll(img, (dy, dx), (0, 1)))), m0,
                                       rtol=1e-9, atol=1e-9)

def test_mirror_flips_slant(digits):
    "A left-right mirror negates the slant exactly and keeps width, height, area and intensity."
    for img in digits:
        a, b = measure_image(img), measure_image(img[:, ::-1])
        assert b.slant == pytest.approx(-a.slant, abs=1e-9)
        for f in ["area", "width", "height", "intensity"]:
            assert getattr(b, f) == pytest.approx(getattr(a, f), rel=1e-9)
        assert b.thickness == pytest.approx(a.thickness, abs=0.15)   # skeleton tie-breaks differ

@given(c=st.floats(0.01, 100))
@settings(max_examples=15, deadline=None)
def test_intensity_scaling(c):
    "Scaling a float image scales its intensity and leaves the shape measurements unchanged."
    img = read_idx(FIX / "morpho-digits-idx3-ubyte.gz")[0].astype(float)
    a, b = measure_image(img), measure_image(c * img)
    assert b.intensity == pytest.approx(c * a.intensity, rel=1e-9)
    np.testing.assert_allclose(np.array(b)[:6], np.array(a)[:6], rtol=1e-6)

def test_set_thickness_is_monotone(digits):
    out = [measure_image(set_thickness(digits[2], t)).thickness for t in [1.0, 2.0, 3.0, 4.5]]
    assert all(x < y for x, y in zip(out, out[1:])), out
    assert abs(out[1] - 2.0) < 0.3 and abs(out[3] - 4.5) < 0.3

def test_set_thickness_moves_toward_target(digits):
    for img in digits:
        t0 = measure_image(img).thickness
        for target in [t0 - 0.8, t0 + 1.5]:
            if target <= 0.5: continue
            t1 = measure_image(set_thickness(img, target)).thickness
            assert abs(t1 - target) < abs(t0 - target)

@given(target=st.floats(20, 255))
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_set_intensity_hits_target(target, digits):
    assert measure_image(set_intensity(digits[1], target)).intensity == pytest.approx(target,
                                                                                      abs=0.51)

def test_thin_and_thicken_direction(digits):
    for img in digits:
        t0 = measure_image(img).thickness
        assert measure_image(thin(img)).thickness < t0 < measure_image(thicken(img)).thickness

def test_set_slant(digits):
    assert measure_image(set_slant(digits[1], -20)).slant == pytest.approx(-20, abs=1.5)

def test_bad_images():
    with pytest.raises(ValueError, match="empty"): measure_image(np.zeros((0, 28)))
    with pytest.raises(ValueError, match="empty"): measure_batch(np.zeros((0, 28, 28)))
    with pytest.raises(ValueError, match="NaN"): measure_batch(np.full((2, 28, 28), np.nan))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        m = measure_image(np.full((28, 28), 7, np.uint8))
    assert all(math.isnan(v) for v in m) and w

def test_scm_intensity_shape():
    t = np.linspace(0.5, 8, 50)
    i = scm_intensity(t, 0.0)
    assert np.all(np.diff(i) > 0) and i.min() > 64 and i.max() < 255

# ---- IDX ----

@given(data=st.binary(max_size=64))
@settings(max_examples=200, deadline=None)
def test_read_idx_fuzz(tmp_path_factory, data):
    "Arbitrary bytes parse or raise a ValueError that names the file; never another exception."
    p = tmp_path_factory.mktemp("idx") / "fuzz-idx"
    p.write_bytes(data)
    try: read_idx(p)
    except ValueError as e: assert "fuzz-idx" in str(e)

@given(shape=st.lists(st.integers(0, 4), min_size=1, max_size=4),
       dt=st.sampled_from(["u1", "i1", "i2", "i4", "f4", "f8"]),
       gz=st.booleans())
@settings(max_examples=40, deadline=None)
def test_idx_round_trip(tmp_path_factory, shape, dt, gz):
    a = (np.random.default_rng(0).normal(size=shape) * 100).astype(dt)
    p = tmp_path_factory.mktemp("rt") / ("a.idx.gz" if gz else "a.idx")
    b = read_idx(write_idx(p, a))
    assert b.dtype == a.dtype and b.shape == a.shape and (a == b).all()

def test_mnist_missing_says_what_and_where(tmp_path, monkeypatch):
    monkeypatch.setenv("CAGE_NB_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError) as e: load_mnist_idx()
    assert "train-images-idx3-ubyte" in str(e.value) and str(tmp_path / "mnist") in str(e.value)

def test_mnist_corrupt_header_names_file(tmp_path):
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(2, np.uint8))
    (tmp_path / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + b"\x00\x00\x00\x02"
                                                       * 3 + bytes(7))
    with pytest.raises(ValueError, match="train-images-idx3-ubyte"): load_mnist_idx(tmp_path)

# ---- the SCM dataset ----

def test_scm_reproducible_and_round_trip(tmp_path):
    a = make_morpho_scm(n=6, seed=4, progress=False)
    b = make_morpho_scm(n=6, seed=4, progress=False)
    assert (a.images == b.images).all()
    pd.testing.assert_frame_equal(a.attrs, b.attrs)
    save_morpho_scm(a, tmp_path)
    c = load_morpho_scm(tmp_path)
    assert (c.images == a.images).all() and (c.labels == a.labels).all()
    np.testing.assert_allclose(c.attrs.to_numpy(), a.attrs.to_numpy(), rtol=1e-15)

def test_bad_csv_names_file_and_line(tmp_path):
    p = tmp_path / "train-morpho.csv"
    p.write_text("index,thickness,intensity\n0,1.0,100\n1,2.0\n")
    with pytest.raises(ValueError, match=r"train-morpho.csv, line 3: expected 3 fields"):
        read_morpho_csv(p)
    p.write_text("index,thickness,intensity\n0,1.0,100\n1,x,5\n")
    with pytest.raises(ValueError, match=r"line 3, column 'thickness'"): read_morpho_csv(p)

def test_measure_to_csv_npy(tmp_path, digits):
    np.save(tmp_path / "d.npy", digits)
    df = measure_to_csv(tmp_path / "d.npy", tmp_path / "out" / "m.csv", progress=False)
    assert list(df.columns) == ["index"] + MORPHO_FIELDS and len(df) == len(digits)
    assert (tmp_path / "out" / "m.csv").exists()
