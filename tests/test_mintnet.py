"""MintNet: invertibility, exact log-det, gradients, checkpoints, bad input, resuming (fast)."""
import numpy as np
import pytest
import torch

from cage_nb.mintnet import (MintNet, MintNetConfig, MintNetLatentModel, MintBlock, bits_per_dim,
                             dequantize,
                             load_mintnet, save_mintnet, train_mintnet, squeeze2d, unsqueeze2d)


@pytest.fixture
def rng():
    torch.manual_seed(0)
    return np.random.default_rng(0)


def _jac(f, x):
    return torch.autograd.functional.jacobian(lambda v: f(v.view(1, *x.shape[1:])).flatten(),
                                              x.flatten())


def test_logdet_matches_slogdet_float64(rng):
    net = MintNet(MintNetConfig.tiny(init_scale=1.0)).double()
    x = torch.randn(2, 1, 4, 4, dtype=torch.float64)
    _, ld = net(x)
    for i in range(2):
        sign, logabs = torch.linalg.slogdet(_jac(lambda v: net(v)[0], x[i:i + 1]))
        assert sign.item() == 1.0
        assert abs(ld[i].item() - logabs.item()) < 1e-9


@pytest.mark.parametrize("kind", ["A", "B"])
def test_block_jacobian_triangular_in_pixel_order(rng, kind):
    blk = MintBlock(2, 3, kind, 3, init_scale=1.0).double()
    x = torch.randn(1, 2, 3, 3, dtype=torch.float64)
    J = _jac(lambda v: blk(v)[0], x)
    idx = torch.arange(18).view(2, 3, 3).permute(1, 2, 0).flatten()
    Jp = J[idx][:, idx]
    off = torch.triu(Jp, 1) if kind == "A" else torch.tril(Jp, -1)
    assert off.abs().max().item() == 0.0
    assert torch.allclose(blk.evaluate(x)[1].flatten(), torch.diagonal(J), atol=1e-12)
    assert (torch.diagonal(J) > 0).all()


def test_inverse_after_forward_is_identity(rng):
    net = MintNet(MintNetConfig.tiny()).eval()
    x = torch.randn(8, 1, 4, 4)
    z, _ = net(x)
    assert (net.inverse(z) - x).abs().max().item() < 1e-4
    assert max(net.last_inverse["iters"]) < net.cfg.max_iter
    # the 28×28 toy architecture too, on logit-scale inputs
    toy = MintNet(MintNetConfig.toy()).eval()
    x = torch.randn(2, 1, 28, 28) * 2
    with torch.no_grad(): z, _ = toy(x)
    assert (toy.inverse(z) - x).abs().max().item() < 1e-4


def test_squeeze_roundtrip():
    x = torch.randn(2, 3, 6, 4)
    assert squeeze2d(x).shape == (2, 12, 3, 2)
    assert torch.equal(unsqueeze2d(squeeze2d(x)), x)


def test_gradients_reach_every_parameter(rng):
    net = MintNet(MintNetConfig.tiny())
    y = dequantize(torch.rand(4, 1, 4, 4))
    bits_per_dim(net, y).mean().backward()
    dead = [n for n, p in net.named_parameters() if p.grad is None or not p.grad.abs().sum() > 0]
    assert dead == []


def test_save_load_identical(tmp_path, rng):
    net = MintNet(MintNetConfig.tiny()).eval()
    save_mintnet(net, tmp_path / "m.safetensors")
    net2 = load_mintnet(tmp_path / "m.safetensors")
    x = torch.randn(3, 1, 4, 4)
    with torch.no_grad():
        assert torch.equal(net(x)[0], net2(x)[0]) and torch.equal(net(x)[1], net2(x)[1])


def test_wrong_image_size_raises():
    net = MintNet(MintNetConfig.tiny())
    with pytest.raises(ValueError,
                       match=r"expects inputs of shape \(n, 1, 4, 4\), got \(2, 1, 28, 28\)"):
        net(torch.zeros(2, 1, 28, 28))
    with pytest.raises(ValueError, match=r"expected shape \(n, 28, 28\), got \(5, 32, 32\)"):
        train_mintnet(np.zeros((5, 32, 32), np.uint8), MintNetConfig.toy(), steps=1, progress=False)


def test_resume_equals_uninterrupted(tmp_path, rng):
    imgs = (rng.random((40, 4, 4)) < 0.4).astype(np.uint8) * 255
    kw = dict(cfg=MintNetConfig.tiny(), batch_size=8, warmup=3, eval_every=3, progress=False)
    full, info = train_mintnet(imgs, steps=9, path=tmp_path / "a.safetensors", **kw)
    train_mintnet(imgs, steps=4, path=tmp_path / "b.safetensors", **kw)
    res, info_b = train_mintnet(imgs, steps=9, path=tmp_path / "b.safetensors", **kw)
    assert info_b["step"] == 9 and np.isfinite(info["val_bpd"])
    for p, q in zip(full.state_dict().values(), res.state_dict().values()): assert torch.equal(p, q)


def test_latent_adapter_roundtrip(rng):
    lm = MintNetLatentModel(MintNet(MintNetConfig.tiny()))
    assert lm.latent_dim == 16
    z = lm.sample(4, seed=1)
    assert torch.equal(z, lm.sample(4, seed=1))
    x = lm.decode(z)
    assert x.shape == (4, 4, 4) and x.min() >= 0 and x.max() <= 255
    imgs = torch.tensor((rng.random((5, 4, 4)) * 255).round()).float()
    assert (lm.decode(lm.encode(imgs)) - imgs).abs().max().item() < 1e-2
    assert MintNetLatentModel(MintNet(MintNetConfig.toy())).latent_dim == 784
