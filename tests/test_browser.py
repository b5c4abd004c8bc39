"""The widget viewers in a real browser: Voilà serves an app, headless Chromium moves a slider.

Needs Debian's Chromium at /usr/bin/chromium and the `voila` and `playwright` Python packages;
nothing here downloads a browser (never `playwright install`). Without them the test skips and
says why.
"""
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    "Why the browser test cannot run here, or None."
    if not CHROMIUM.exists():
        return f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    for module in ("voila", "playwright"):
        if importlib.util.find_spec(module) is None:
            return f"the {module} package is not installed (pip install {module})"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90.0) -> None:
    "Wait until `url` answers, failing with the server's log if it dies or never answers."
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"voila exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"voila did not answer at {url} within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def voila_app(tmp_path):
    "URL of a Voilà server showing the counterfactual explorer on the toy kit."
    reason = _missing()
    if reason:
        print(f"skipping the browser test: {reason}")
        pytest.skip(reason)
    from cage_nb.widgets import app_notebook
    nb = app_notebook(tmp_path / "app.ipynb", "explorer", "toy", pool_n=1000)
    port = _free_port()
    paths = [str(ROOT), os.environ.get("PYTHONPATH")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
    log = tmp_path / "voila.log"
    with open(log, "w") as out:
        cmd = [sys.executable, "-m", "voila", str(nb), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1"]
        proc = subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        _wait_http(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _table(page) -> dict:
    "The explorer's numbers: output name → {attribute: value}."
    text = page.locator("table.cage-values").inner_text()
    rows = [r.split("\t") for r in text.strip().splitlines()]
    head = [h for h in rows[0] if h]
    return {r[0]: dict(zip(head, map(float, r[1:]))) for r in rows[1:]}


def _settled_table(page, deadline: float, quiet: float = 1.5) -> dict:
    "The explorer's numbers once they have stopped changing for `quiet` seconds."
    last, since = _table(page), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = _table(page)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since > quiet:
            break
    return last


def test_explorer_slider_moves_image_and_numbers(voila_app, tmp_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(  # a fresh --user-data-dir
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        try:
            page = ctx.new_page()
            page.goto(voila_app, timeout=120_000)
            page.locator("table.cage-values").wait_for(timeout=240_000)
            src0 = page.locator("img.widget-image").first.get_attribute("src")
            before = _table(page)
            slider = page.locator(".widget-slider").filter(has_text="strength")
            slider.locator(".noUi-handle").focus()
            for _ in range(4):  # 2.00 -> 3.00 in steps of 0.25
                page.keyboard.press("ArrowRight")
            deadline = time.monotonic() + 60
            while "3.00" not in slider.inner_text() and time.monotonic() < deadline:
                time.sleep(0.2)
            after = _settled_table(page, deadline)
            assert "3.00" in slider.inner_text()
            assert page.locator("img.widget-image").first.get_attribute("src") != src0
            assert after["original"] == before["original"]  # the unit itself did not move
            assert after["causal"]["A"] > before["causal"]["A"] + 0.3  # pushed further along A
            assert after["causal"]["B"] > before["causal"]["B"]  # and its effect B followed
        finally:
            ctx.close()
