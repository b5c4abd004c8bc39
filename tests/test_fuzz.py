"""Fuzzing every entry point that reads outside data (hypothesis).

Each generated case must either succeed or raise `ValueError` / `FileNotFoundError` whose message
names the input file; any other exception is a bug. The CLI must return 0 or 2 or exit through
`SystemExit` (argparse). `CAGE_NB_FUZZ=nightly` runs 1000 cases each (profiles in conftest.py).
"""
import contextlib
import gzip
import io
import json
import shutil
import tempfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import torch
from hypothesis import event, given, strategies as st
from safetensors.torch import save_file

from cage_nb.cage import parse_graph
from cage_nb.core import load_checkpoint, save_checkpoint
from cage_nb.digits import (load_morpho_scm, make_morpho_scm, read_idx, read_morpho_csv,
                            save_morpho_scm)
from cage_nb.maf import MAFConfig, load_maf, train_maf
from cage_nb.mintnet import MintNet, MintNetConfig, load_mintnet, save_mintnet
from cage_nb.scm import load_pair_csv

CLEAN = (ValueError, FileNotFoundError)


def expect_clean(fn, path):
    "Call `fn()`; it may succeed, or raise a clean error that names `path`."
    try:
        out = fn()
    except CLEAN as e:
        assert Path(path).name in str(e), f"error does not name {path}: {e}"
        event(f"outcome: {type(e).__name__}")
        return None
    event("outcome: loaded")
    return out


_DIRS = []


def fresh_dir():
    "A new temporary folder; the previous case's folders are removed first."
    while len(_DIRS) > 4:
        shutil.rmtree(_DIRS.pop(0), ignore_errors=True)
    _DIRS.append(fixture_dir())
    return _DIRS[-1]


def fixture_dir():
    "A temporary folder that lives as long as the session."
    return Path(tempfile.mkdtemp(prefix="cage_fuzz_"))


# ---------------------------------------------------------------- CSV pairs
cell = st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(repr),
                 st.integers(-10**6, 10**6).map(str),
                 st.sampled_from(["", "nan", "NA", "inf", "-", "x", '"1,5"', "1e400", " 3 ",
                                  "True"]),
                 st.text(alphabet="abc,;\"' \t\n0123456789.-e", max_size=6))


@given(header=st.lists(st.text(alphabet="xyzAB_ ,\"", max_size=4), min_size=0, max_size=4),
       rows=st.lists(st.lists(cell, min_size=0, max_size=4), min_size=0, max_size=70))
def test_fuzz_load_pair_csv_text(header, rows):
    path = fresh_dir() / "pair.csv"
    path.write_text("\n".join([",".join(header)] + [",".join(r) for r in rows]))
    pair = expect_clean(lambda: load_pair_csv(path), path)
    if pair is not None:
        assert len(pair.x) == len(pair.y) >= 50
        assert np.isfinite(pair.x).all() and np.isfinite(pair.y).all()


@given(raw=st.binary(max_size=2000))
def test_fuzz_load_pair_csv_bytes(raw):
    path = fresh_dir() / "pair.csv"
    path.write_bytes(raw)
    expect_clean(lambda: load_pair_csv(path), path)


# ---------------------------------------------------------------- IDX files
@st.composite
def idx_bytes(draw):
    "Plausible IDX files: a header with random type and shape, a payload of random length."
    code = draw(st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0x07]))
    ndim = draw(st.integers(0, 4))
    shape = draw(st.lists(st.integers(0, 6), min_size=ndim, max_size=ndim))
    head = bytes([draw(st.sampled_from([0, 0, 1])), 0, code, ndim])
    head += np.asarray(shape, ">u4").tobytes()
    payload = draw(st.binary(max_size=400))
    raw = head + payload
    if draw(st.booleans()):
        raw = gzip.compress(raw, mtime=0)
        raw = raw[:draw(st.integers(0, len(raw)))] if draw(st.booleans()) else raw
    return raw


@given(raw=st.one_of(idx_bytes(), st.binary(max_size=300)), gz=st.booleans())
def test_fuzz_read_idx(raw, gz):
    path = fresh_dir() / ("data.idx3-ubyte" + (".gz" if gz else ""))
    path.write_bytes(raw)
    a = expect_clean(lambda: read_idx(path), path)
    if a is not None:
        assert isinstance(a, np.ndarray) and a.ndim >= 1


# ---------------------------------------------------------------- Morpho-MNIST files
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=4), max_size=20),
       header=st.sampled_from(["index,thickness,intensity", "thickness,intensity", "", "index"]))
def test_fuzz_read_morpho_csv(rows, header):
    path = fresh_dir() / "train-morpho.csv"
    path.write_text("\n".join([header] + [",".join(r) for r in rows]))
    df = expect_clean(lambda: read_morpho_csv(path), path)
    if df is not None:
        assert list(df["index"]) == list(range(len(df)))


@pytest.fixture(scope="module")
def morpho_folder():
    d = fixture_dir()
    save_morpho_scm(make_morpho_scm("synth", 6, seed=0, progress=False), d, "train")
    return d


@given(which=st.sampled_from(["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                              "train-morpho.csv", "train-morpho.json"]),
       mode=st.sampled_from(["truncate", "garbage", "delete"]), cut=st.floats(0, 1),
       garbage=st.binary(max_size=200))
def test_fuzz_load_morpho_scm(morpho_folder, which, mode, cut, garbage):
    d = fresh_dir()
    for f in morpho_folder.iterdir():
        (d / f.name).write_bytes(f.read_bytes())
    target = d / which
    raw = target.read_bytes()
    if mode == "truncate":
        target.write_bytes(raw[:int(cut * len(raw))])
    elif mode == "garbage":
        target.write_bytes(garbage)
    else:
        target.unlink()
    named = which if mode != "delete" or which != "train-morpho.json" else d.name
    expect_clean(lambda: load_morpho_scm(d), d / named if named != d.name else d)


# ---------------------------------------------------------------- checkpoints
@given(raw=st.binary(max_size=500))
def test_fuzz_load_checkpoint_bytes(raw):
    path = fresh_dir() / "ckpt.safetensors"
    path.write_bytes(raw)
    expect_clean(lambda: load_checkpoint(path), path)


@given(cut=st.floats(0, 1), meta=st.one_of(st.none(), st.text(max_size=30)))
def test_fuzz_load_checkpoint_damaged(cut, meta):
    path = fresh_dir() / "ckpt.safetensors"
    if meta is None:
        save_checkpoint(path, {"w": torch.arange(12.0).reshape(3, 4)}, {"lr": 1e-3})
    else:
        save_file({"w": torch.zeros(2)}, str(path), metadata={"config": meta})
    raw = path.read_bytes()
    path.write_bytes(raw[:int(cut * len(raw))] if cut < 1 else raw)
    out = expect_clean(lambda: load_checkpoint(path), path)
    if out is not None:
        assert isinstance(out[1], dict)


@pytest.fixture(scope="module")
def tiny_mintnet():
    d = fixture_dir()
    cfg = MintNetConfig(image_size=4, in_channels=1, n_pairs=1, squeeze_before=(), latent_size=2)
    return save_mintnet(MintNet(cfg), d / "mint.safetensors")


@pytest.fixture(scope="module")
def tiny_maf():
    d = fixture_dir()
    cfg = MAFConfig(n_layers=1, n_blocks=1, hidden=4, steps=2, checkpoint_every=2)
    train_maf(np.random.default_rng(0).normal(size=(64, 2)), cfg, checkpoint=d / "maf.safetensors",
              device="cpu", progress=False)
    return d / "maf.safetensors"


def _mutate_checkpoint(src: Path, dst: Path, key_op, cfg_op, data):
    "Copy a checkpoint with one tensor and one config entry changed."
    tensors, meta = load_checkpoint(src)
    name = data.draw(st.sampled_from(sorted(tensors)))
    if key_op == "drop":
        tensors.pop(name)
    elif key_op == "shape":
        tensors[name] = torch.zeros(tuple(s + 1 for s in tensors[name].shape) or (2,))
    elif key_op == "dtype":
        tensors[name] = tensors[name].to(torch.int32)
    cfg = meta.setdefault("config", {})
    inner = cfg.get("mintnet", cfg)
    if cfg_op != "keep" and inner:
        k = data.draw(st.sampled_from(sorted(inner)))
        inner[k] = {"drop": None, "text": "x", "negative": -3, "list": [1, 2]}[cfg_op]
        if cfg_op == "drop":
            inner.pop(k)
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(dst),
              metadata={"config": json.dumps(meta)})


ops = dict(key_op=st.sampled_from(["keep", "drop", "shape", "dtype"]),
           cfg_op=st.sampled_from(["keep", "drop", "text", "negative", "list"]))


@given(data=st.data(), **ops)
def test_fuzz_load_mintnet(tiny_mintnet, data, key_op, cfg_op):
    dst = fresh_dir() / "mint.safetensors"
    _mutate_checkpoint(tiny_mintnet, dst, key_op, cfg_op, data)
    m = expect_clean(lambda: load_mintnet(dst), dst)
    if m is not None and key_op == "keep" and cfg_op == "keep":
        assert isinstance(m, MintNet)


@given(data=st.data(), **ops)
def test_fuzz_load_maf(tiny_maf, data, key_op, cfg_op):
    dst = fresh_dir() / "maf.safetensors"
    _mutate_checkpoint(tiny_maf, dst, key_op, cfg_op, data)
    expect_clean(lambda: load_maf(dst), dst)


# ---------------------------------------------------------------- graphs
names = ["A", "B", "C", "D"]


@given(spec=st.one_of(st.text(alphabet="ABCDE ->,;x", max_size=30),
                      st.lists(st.tuples(st.sampled_from(names + ["E"]), st.sampled_from(names)),
                               max_size=6),
                      st.dictionaries(st.sampled_from(names),
                                      st.lists(st.sampled_from(names + ["Z"]), max_size=3),
                                      max_size=4)))
def test_fuzz_parse_graph(spec):
    try:
        g = parse_graph(spec, names)
    except (ValueError, KeyError) as e:
        assert str(e)
        return
    assert nx.is_directed_acyclic_graph(g) and set(g.nodes) == set(names)


# ---------------------------------------------------------------- the CLI
def _commands():
    "Every sub-command's words and its flags, from the real parser."
    import argparse

    from cage_nb.cli import build_parser
    out = {}

    def walk(p, words):
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        for a in subs:
            for name, sp in a.choices.items():
                walk(sp, words + [name])
        if words and not subs:
            out[" ".join(words)] = sorted(o for a in p._actions for o in a.option_strings
                                          if o.startswith("--") and o != "--help")
    walk(build_parser(), [])
    return out


COMMANDS = _commands()
WORDS = sorted({w for c in COMMANDS for w in c.split()} | {f for fl in COMMANDS.values()
                                                             for f in fl})
value = st.one_of(st.text(max_size=8), st.integers(-5, 10**6).map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.sampled_from(["nofile.safetensors", "fuzz_junk.pt", ".", "A->B", "-1",
                                   "true", "0.5", "toy", "cpu"]))
token = st.one_of(st.sampled_from(WORDS + ["-h", "--help", "--version", "--"]), value)


def run_cli(argv, stub=False):
    "`main(argv)` in a scratch folder, quiet; its status (SystemExit's code when argparse exits)."
    from cage_nb import cli
    d = fresh_dir()
    (d / "fuzz_junk.pt").write_bytes(b"not a checkpoint")
    real = cli.call_with_args
    with contextlib.chdir(d), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        try:
            if stub:
                cli.call_with_args = lambda func, args: 0
            return cli.main(argv)
        except SystemExit as e:
            return e.code
        finally:
            cli.call_with_args = real


@given(argv=st.lists(token, max_size=8))
def test_fuzz_cli_parsing(argv):
    "Any command line: argparse's answer (commands are not run: `call_with_args` is stubbed)."
    status = run_cli(argv, stub=True)
    event(f"status: {status}")
    assert status in (0, 2, None)


DRY = sorted(c for c, flags in COMMANDS.items() if "--dry-run" in flags)


@given(data=st.data(), command=st.sampled_from(DRY))
def test_fuzz_cli_dry_run(data, command):
    "A dry-run command with random flags and values runs its real checks, and returns 0 or 2."
    flags = COMMANDS[command]
    words = []
    for flag in data.draw(st.lists(st.sampled_from(flags), max_size=6)):
        words += [flag] + data.draw(st.lists(value, max_size=2))
    argv = command.split() + words + ["--dry-run"]
    status = run_cli(argv)
    event(f"status: {status}")
    assert status in (0, 2, None), argv


# ---------------------------------------------------------------- CelebA and GAN files
@given(header=st.lists(st.sampled_from(["2", "1", "x", "Smiling Male", "Male Male", "", "-1"]),
                       max_size=2),
       rows=st.lists(st.lists(st.sampled_from(["a.jpg", "b.jpg", "1", "-1", "0", "x", ""]),
                              max_size=4), max_size=4),
       raw=st.one_of(st.none(), st.binary(max_size=60)))
def test_fuzz_read_celeba_attributes(header, rows, raw):
    from cage_nb.celeba import read_celeba_attributes
    path = fresh_dir() / "CelebAMask-HQ-attribute-anno.txt"
    text = "\n".join(header + [" ".join(r) for r in rows])
    path.write_bytes(text.encode() if raw is None else raw)
    table = expect_clean(lambda: read_celeba_attributes(path), path)
    if table is not None:
        assert table.drop(columns="line").isin([0, 1]).all().all()


@pytest.fixture(scope="module")
def gan_files():
    from cage_nb.gan_checkpoints import write_ada_pickle, write_rosinality_pt
    from cage_nb.stylegan2 import Generator, StyleGAN2Config
    cfg = StyleGAN2Config(resolution=8, z_dim=8, w_dim=8, n_mapping=1, channel_base=64,
                          channel_max=8)
    torch.manual_seed(0)
    G = Generator(cfg)
    d = fixture_dir()
    return {"pt": write_rosinality_pt(d / "g.pt", G), "pkl": write_ada_pickle(d / "g.pkl", G)}


@given(kind=st.sampled_from(["pt", "pkl"]), mode=st.sampled_from(["truncate", "flip", "random"]),
       cut=st.floats(0, 1), flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)),
                                           min_size=1, max_size=8),
       garbage=st.binary(max_size=300))
def test_fuzz_gan_loaders(gan_files, kind, mode, cut, flips, garbage):
    from cage_nb.gan_checkpoints import load_ada_pickle, load_rosinality
    raw = bytearray(gan_files[kind].read_bytes())
    if mode == "truncate":
        raw = raw[:int(cut * len(raw))]
    elif mode == "flip":
        for where, byte in flips:
            raw[min(int(where * len(raw)), len(raw) - 1)] = byte
    else:
        raw = bytearray(garbage)
    path = fresh_dir() / f"gen.{kind}"
    path.write_bytes(bytes(raw))
    expect_clean(lambda: (load_rosinality if kind == "pt" else load_ada_pickle)(path), path)
