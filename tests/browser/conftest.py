"""JupyterLab on 127.0.0.1 with the tree's Sparklet kernel and lab extension, driven by Debian's
chromium through playwright.

The server gets its own config, data, runtime, settings and workspace directories (nothing from the
machine's Jupyter state leaks in), a token, a free port, and no news or update checks. The
kernelspec and the built extension are copied from this tree into the server's data directory, so
the tests exercise the tree, not whatever version was installed last; under `./dev test` they
exercise what the wheel installed in this environment instead (`SPARKLET_WHEEL` is set).
"""

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EXTENSION_BUILD = ROOT / "labextension" / "build"
FROM_WHEEL = bool(os.environ.get("SPARKLET_WHEEL"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, url, token, root, process):
        self.url = url
        self.token = token
        self.root = root
        self.process = process

    def api(self, method, path, body=None):
        req = urllib.request.Request(
            "%s/api/%s" % (self.url, path), method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "token " + self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def new_notebook(self, name):
        """An empty notebook on the Sparklet kernel (one empty code cell)."""
        nb = {"nbformat": 4, "nbformat_minor": 5, "cells": [
            {"cell_type": "code", "id": "c0", "source": "", "metadata": {}, "outputs": [], "execution_count": None}],
              "metadata": {"kernelspec": {"name": "sparklet", "display_name": "Sparklet", "language": "python"}}}
        self.api("PUT", "contents/" + name, {"type": "notebook", "format": "json", "content": nb})
        return "%s/lab/tree/%s?token=%s" % (self.url, name, self.token)


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    if not FROM_WHEEL and not (EXTENSION_BUILD / "package.json").exists():
        pytest.fail("the lab extension is not built: run `./dev test` (or `pip install -e .`) to build it")
    base = tmp_path_factory.mktemp("lab")
    dirs = {name: base / name for name in ("config", "data", "runtime", "settings", "workspaces", "root")}
    for d in dirs.values():
        d.mkdir()
    if not FROM_WHEEL:
        shutil.copytree(ROOT / "kernel" / "kernelspec", dirs["data"] / "kernels" / "sparklet")
        shutil.copytree(EXTENSION_BUILD, dirs["data"] / "labextensions" / "sparklet-labextension")
    (dirs["config"] / "labconfig").mkdir()
    (dirs["config"] / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}))
    token = secrets.token_hex(16)
    port = free_port()
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(dirs["config"]), JUPYTER_DATA_DIR=str(dirs["data"]),
               JUPYTER_RUNTIME_DIR=str(dirs["runtime"]), SPARKLET_MASTER="local[2]")
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    # in a virtualenv jupyter_core puts the environment's share/jupyter before JUPYTER_DATA_DIR,
    # so an extension installed there would be served instead of the build copied above
    env["JUPYTER_PREFER_ENV_PATH"] = "0" if not FROM_WHEEL else env.get("JUPYTER_PREFER_ENV_PATH", "1")
    log = open(base / "server.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", "--port=%d" % port,
         "--ServerApp.port_retries=0", "--IdentityProvider.token=" + token, "--allow-root",
         "--ServerApp.root_dir=" + str(dirs["root"]), "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.user_settings_dir=" + str(dirs["settings"]),
         "--LabApp.workspaces_dir=" + str(dirs["workspaces"])],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=str(dirs["root"]))
    server = Lab("http://127.0.0.1:%d" % port, token, dirs["root"], process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.api("GET", "status")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("JupyterLab did not start; log:\n" + (base / "server.log").read_text())
                time.sleep(0.25)
        yield server
    finally:
        try:
            for kernel in server.api("GET", "kernels") or []:
                server.api("DELETE", "kernels/" + kernel["id"])
        except OSError:
            pass
        children = psutil.Process(process.pid).children(recursive=True) if process.poll() is None else []
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # the kernels' executor processes must not outlive the server
        _, alive = psutil.wait_procs(children, timeout=10)
        for p in alive:
            p.kill()
        log.close()
        assert not alive, "processes outlived JupyterLab: %s" % [p.pid for p in alive]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: `./dev test` installs it (apt-get install chromium)")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()
