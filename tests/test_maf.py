"""Fast checks of cage_nb.maf: the ensemble against nflows, resuming, latent model, bad input."""
from dataclasses import replace

import numpy as np
import pytest
import torch

from cage_nb.maf import (EnsembleMAF, MAFConfig, MAFLatentModel, build_maf, load_maf,
                         maf_speed_benchmark,
                         toy_maf_config, train_maf, train_maf_ensemble)


def pair(n, seed=0):
    r = np.random.default_rng(seed)
    x1 = r.laplace(size=n)
    return np.c_[x1, np.tanh(2 * x1) + 0.3 * r.laplace(size=n)]


CFG64 = toy_maf_config(n_layers=3, n_blocks=2, hidden=8, steps=12, batch_size=32, dtype="float64")


def test_paper_config_defaults():
    c = MAFConfig()
    assert (c.n_layers, c.n_blocks, c.steps) == (10, 4, 5000)
    f = build_maf(2, c)
    assert len(f._transform._transforms) == 19  # 10 MAF layers, 9 reversals between them


@pytest.mark.parametrize("dim", [1, 2, 4])
def test_ensemble_log_prob_matches_nflows(dim):
    torch.manual_seed(0)
    flows = [build_maf(dim, replace(CFG64, seed=s)) for s in range(3)]
    with torch.no_grad():
        for f in flows:
            for p in f.parameters(): p.add_(0.2 * torch.randn_like(p))
        ens = EnsembleMAF.from_flows(flows)
        x = torch.randn(3, 40, dim, dtype=torch.float64)
        ref = torch.stack([f.log_prob(xi) for f, xi in zip(flows, x)])
        assert torch.allclose(ens.log_prob(x), ref, atol=1e-10, rtol=0)
        for f, g in zip(flows, ens.to_flows()):
            assert all(torch.equal(a, b)
                       for a, b in zip(f.state_dict().values(), g.state_dict().values()))


def test_ensemble_training_equals_sequential():
    data = [pair(160, 1), pair(200, 2), pair(180, 3)]
    flows, infos = train_maf_ensemble(data, CFG64, seeds=[4, 5, 6], device="cpu", progress=False)
    for d, s, f, i in zip(data, [4, 5, 6], flows, infos):
        g, j = train_maf(d, replace(CFG64, seed=s), device="cpu", progress=False)
        np.testing.assert_allclose(i["train_loss"], j["train_loss"], atol=1e-10)
        assert abs(i["val_nll"] - j["val_nll"]) < 1e-10
        for a, b in zip(f.parameters(), g.parameters()):
            assert torch.allclose(a, b, atol=1e-10, rtol=0)


def test_ensemble_float32_close_to_sequential():
    cfg = replace(CFG64, dtype="float32", steps=20)
    data = [pair(200, 1), pair(200, 2)]
    flows, infos = train_maf_ensemble(data, cfg, device="cpu", progress=False)
    for d, f, i in zip(data, flows, infos):
        g, j = train_maf(d, cfg, device="cpu", progress=False)
        assert abs(i["val_nll"] - j["val_nll"]) < 1e-4


def test_resume_equals_uninterrupted(tmp_path):
    x = pair(300)
    cfg = replace(CFG64, steps=16, checkpoint_every=4, dtype="float32")
    full, fi = train_maf(x, cfg, device="cpu", progress=False)
    ck = tmp_path / "m.safetensors"
    train_maf(x, replace(cfg, steps=9), checkpoint=ck, device="cpu", progress=False)
    res, ri = train_maf(x, cfg, checkpoint=ck, device="cpu", progress=False)
    assert ri["resumed_from"] == 9 and ri["train_loss"] == fi["train_loss"]
    assert all(torch.equal(a, b)
               for a, b in zip(full.state_dict().values(), res.state_dict().values()))
    # already done: nothing to train
    again, ai = train_maf(x, cfg, checkpoint=ck, device="cpu", progress=False)
    assert ai["resumed_from"] == 16 and ai["val_nll"] == ri["val_nll"]


def test_latent_model_round_trip_and_reload(tmp_path):
    x = pair(300)
    ck = tmp_path / "m.safetensors"
    flow, info = train_maf(x, CFG64, checkpoint=ck, device="cpu", progress=False)
    lm = MAFLatentModel(flow, info["mean"], info["std"])
    xt = torch.as_tensor(x[:64])
    assert torch.allclose(lm.decode(lm.encode(xt)), xt, atol=1e-9)
    z = lm.sample(32, seed=3)
    assert z.shape == (32, 2) and torch.equal(z, lm.sample(32, seed=3))
    back = MAFLatentModel.from_checkpoint(ck)
    assert torch.equal(back.decode(z), lm.decode(z)) and torch.equal(back.encode(xt), lm.encode(xt))
    # density in data units integrates the standardisation: log p(x) = log p_std(x̃) − Σ log σ
    with torch.no_grad():
        xs = (xt - lm.mean) / lm.std
        assert torch.allclose(lm.log_prob(xt), load_maf(ck).log_prob(xs) - torch.log(lm.std).sum())


def test_bad_input_raises():
    cfg = toy_maf_config(steps=2)
    with pytest.raises(ValueError, match="NaN"):
        train_maf(np.array([[1.0, np.nan]] * 40), cfg, progress=False)
    with pytest.raises(ValueError, match="2-D"): train_maf(np.zeros(40), cfg, progress=False)
    with pytest.raises(ValueError, match="constant column"):
        train_maf(np.c_[np.arange(40.0), np.zeros(40)], cfg, progress=False)
    with pytest.raises(ValueError, match="same number of columns"):
        train_maf_ensemble([pair(50), np.ones((50, 3))], cfg, progress=False)
    flow, info = train_maf(pair(100), cfg, progress=False)
    lm = MAFLatentModel(flow, info["mean"], info["std"])
    with pytest.raises(ValueError, match="latent dimension is 2"): lm.decode(torch.zeros(4, 3))
    with pytest.raises(FileNotFoundError): load_maf("/nonexistent/maf.safetensors")


def test_speed_benchmark_runs_and_agrees():
    b = maf_speed_benchmark(n_datasets=3, steps=1, repeats=1, hidden=8, n_layers=2, n_blocks=1,
                            n=200, threads=1, verbose=False)
    assert b["ensemble_speedup"] > 0 and b["max_abs_param_diff"] < 1e-4
    assert set(b) >= {"sequential_s_per_step", "ensemble_s_per_step", "ensemble_speedup"}


def test_divergence_is_reported():
    cfg = toy_maf_config(lr=1e6, steps=5)
    with pytest.raises(FloatingPointError, match="diverged at step"):
        train_maf(pair(200), cfg, progress=False)
    with pytest.warns(UserWarning, match="diverged"):
        _, infos = train_maf_ensemble([pair(200, 1), pair(200, 2)], cfg, progress=False)
    assert all(i["diverged_at"] is not None for i in infos)
