"""Sparklet as users install it: the wheel and sdist built from this checkout, the wheel installed
without ``-e``.

Under ``./dev test`` (CI) the whole suite runs on that install: ``SPARKLET_WHEEL`` and
``SPARKLET_SDIST`` name the files it built, and this interpreter's environment holds the wheel.
Run on its own (a checkout on PYTHONPATH), this module builds both from the checkout into a
temporary folder and installs the wheel into a virtual environment there, which borrows the
running environment's dependencies (appended to its path, so the wheel's Sparklet comes first).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from kernel_harness import execute, result_text, stream_text

pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parents[1]
DATA = "sparklet-{version}.data/data/share/jupyter/"


def _clean_env(**extra):
    """The environment of a user's shell: nothing from this checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JUPYTER_PATH", "VIRTUAL_ENV")}
    env.update(extra)
    return env


def _run(cmd, **kwargs):
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=540, **kwargs)
    assert proc.returncode == 0, "%s failed:\n%s\n%s" % (cmd, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc.stdout


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    """SimpleNamespace(python, bin, wheel, sdist): an interpreter whose environment holds the wheel."""
    if os.environ.get("SPARKLET_WHEEL"):
        return SimpleNamespace(python=Path(sys.executable), bin=Path(sys.executable).parent,
                               wheel=Path(os.environ["SPARKLET_WHEEL"]), sdist=Path(os.environ["SPARKLET_SDIST"]))
    tmp = tmp_path_factory.mktemp("sparklet-install")
    venv = tmp / "venv"
    base = getattr(sys, "_base_executable", sys.executable)
    _run([base, "-m", "venv", venv])
    python = venv / "bin" / "python"
    env = _clean_env()
    _run([python, "-m", "pip", "install", "--quiet", "build"], env=env)
    _run([python, "-m", "build", "--sdist", "--wheel", "--outdir", tmp / "dist", ROOT], env=env)
    wheel, = (tmp / "dist").glob("sparklet-*.whl")
    sdist, = (tmp / "dist").glob("sparklet-*.tar.gz")
    _run([python, "-m", "pip", "install", "--quiet", "--no-deps", wheel], env=env)
    purelib = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).strip()
    Path(purelib, "zz_borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return SimpleNamespace(python=python, bin=python.parent, wheel=wheel, sdist=sdist)


def _in_checkout_sources(path):
    return any(Path(path).is_relative_to(ROOT / d) for d in ("engine", "kernel"))


def _installed(install, code):
    return _run([install.python, "-c", code], env=_clean_env(), cwd=install.wheel.parent)


def _jupyter(install, subcommand):
    """`jupyter SUBCOMMAND` of the install (the module behind it where the borrowed environment has the script)."""
    if (install.bin / ("jupyter-" + subcommand)).exists():
        return [install.bin / "jupyter", subcommand]
    module = {"kernelspec": "jupyter_client.kernelspecapp", "labextension": "jupyterlab.labextensions"}[subcommand]
    return [install.python, "-m", module]


def _jupyter_env(tmp_path):
    # the user's own Jupyter folders stay out of the listing: only what the install put in its prefix
    return _clean_env(JUPYTER_DATA_DIR=str(tmp_path / "data"), JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
                      JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))


def test_the_wheel_holds_both_packages_the_built_lab_extension_and_the_kernelspec_and_nothing_else(install):
    with zipfile.ZipFile(install.wheel) as whl:
        names = whl.namelist()
        version = re.match(r"sparklet-([^-]+)-", install.wheel.name).group(1)
        data = DATA.format(version=version)
        extension = data + "labextensions/sparklet-labextension/"
        package = json.loads(whl.read(extension + "package.json"))
        kernel = json.loads(whl.read(data + "kernels/sparklet/kernel.json"))
        entry_points = whl.read("sparklet-%s.dist-info/entry_points.txt" % version).decode()
    assert {n.split("/")[0] for n in names} == {
        "sparklet", "sparklet_kernel", "sparklet-%s.dist-info" % version, "sparklet-%s.data" % version}
    assert "sparklet/context.py" in names and "sparklet_kernel/kernel.py" in names
    # the extension as JupyterLab loads it: the built bundle its package.json points at
    assert package["name"] == "sparklet-labextension"
    assert extension + package["jupyterlab"]["_build"]["load"] in names
    assert extension + "install.json" in names
    assert kernel["argv"][:3] == ["python", "-m", "sparklet_kernel"] and kernel["display_name"] == "Sparklet"
    assert data + "kernels/sparklet/logo-64x64.png" in names
    assert re.search(r"^sparklet-submit = sparklet\.submit:main$", entry_points, re.M)
    for name in names:
        assert not re.search(r"(^|/)(tests|bench|source|node_modules|src)/", name), name
        assert not name.endswith(".ts") and "__pycache__" not in name, name


def test_the_sdist_carries_the_built_lab_extension_so_installing_it_needs_no_node(install):
    import tarfile

    with tarfile.open(install.sdist) as tar:
        names = [n.split("/", 1)[1] for n in tar.getnames() if "/" in n]
    assert "labextension/build/package.json" in names
    assert any(n.startswith("labextension/build/static/remoteEntry.") for n in names)
    assert "labextension/src/index.ts" in names and "pyproject.toml" in names and "kernel/kernelspec/kernel.json" in names
    for name in names:
        assert not re.match(r"(\.venv|dist|my-notebooks|\.git)/|labextension/(node_modules|lib)/", name), name


def test_sparklet_is_imported_from_the_install_not_from_the_checkout(install):
    paths = json.loads(_installed(install, "import json, sparklet, sparklet_kernel, sysconfig; print(json.dumps("
                                           "[sparklet.__file__, sparklet_kernel.__file__, sysconfig.get_paths()['purelib']]))"))
    for module_file in paths[:2]:
        assert Path(module_file).is_relative_to(paths[2]) and not _in_checkout_sources(module_file), paths
    if os.environ.get("SPARKLET_WHEEL"):
        # ./dev test: the suite itself runs on the wheel, not on engine/ and kernel/ of the checkout
        import sparklet
        import sparklet_kernel

        for module in (sparklet, sparklet_kernel):
            assert Path(module.__file__).is_relative_to(sysconfig.get_paths()["purelib"]), module.__file__
            assert not _in_checkout_sources(module.__file__), module.__file__


def test_jupyter_lists_the_installed_kernelspec_and_lab_extension(install, tmp_path):
    env = _jupyter_env(tmp_path)
    prefix = Path(_installed(install, "import sys; print(sys.prefix)").strip())
    specs = json.loads(_run(_jupyter(install, "kernelspec") + ["list", "--json"], env=env))["kernelspecs"]
    assert Path(specs["sparklet"]["resource_dir"]) == prefix / "share" / "jupyter" / "kernels" / "sparklet"
    assert specs["sparklet"]["spec"]["display_name"] == "Sparklet"
    proc = subprocess.run(_jupyter(install, "labextension") + ["list"], capture_output=True, text=True,
                          env=env, timeout=120)
    text = re.sub(r"\x1b\[[0-9;]*m", "", proc.stdout + proc.stderr)
    assert str(prefix / "share" / "jupyter" / "labextensions") in text, text
    assert re.search(r"sparklet-labextension v\S+ enabled OK \(python, sparklet\)", text), text


def test_sparklet_submit_runs_a_pyspark_script_from_the_install(install, tmp_path):
    script = tmp_path / "wordcount.py"
    script.write_text(
        "import sys\n"
        "from pyspark import SparkConf, SparkContext\n"
        "sc = SparkContext(conf=SparkConf().setAppName('wc'))\n"
        "words = sc.parallelize(sys.argv[1:], 2).map(lambda w: (w, 1)).reduceByKey(lambda a, b: a + b)\n"
        "print(sorted(words.collect()), sc.master, sc.appName)\n"
        "import pyspark\n"
        "print(pyspark.__file__)\n"
        "sc.stop()\n")
    out = _run([install.bin / "sparklet-submit", "--master", "local[2]", script, "a", "b", "a"],
               env=_clean_env(), cwd=tmp_path).splitlines()
    assert out[0] == "[('a', 2), ('b', 1)] local[2] wc"
    purelib = _installed(install, "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    assert Path(out[1]) == Path(purelib) / "sparklet" / "__init__.py"


@pytest.mark.pyspark
def test_the_magics_switch_to_real_pyspark_and_back_from_the_install(install, tmp_path):
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    prefix = Path(_installed(install, "import sys; print(sys.prefix)").strip())
    kernels = tmp_path / "kernels"
    shutil.copytree(prefix / "share" / "jupyter" / "kernels" / "sparklet", kernels / "sparklet")
    spec_file = kernels / "sparklet" / "kernel.json"
    spec = json.loads(spec_file.read_text())
    # Jupyter runs a kernelspec's "python" as the interpreter of the server that launches it: the install's
    spec["argv"][0] = str(install.python)
    spec_file.write_text(json.dumps(spec))
    km = KernelManager(kernel_name="sparklet", kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernels)]))
    km.start_kernel(env=_jupyter_env(tmp_path) | {"SPARKLET_MASTER": "local[2]"}, cwd=str(tmp_path))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)

        def ok(code, timeout=60):
            reply, msgs = execute(kc, code, timeout=timeout)
            assert reply["status"] == "ok", (code, reply, stream_text(msgs, "stderr"))
            return msgs

        assert result_text(ok("sc.parallelize(range(4)).sum()")) == "6"
        msgs = ok('%%configure -f\n{"backend": "pyspark", "master": "local[1]"}', timeout=240)
        assert "on the pyspark backend" in stream_text(msgs)
        msgs = ok("(type(sc).__module__, sc.parallelize(range(4)).sum())")
        assert result_text(msgs) == "('pyspark.core.context', 6)"
        if os.environ.get("SPARKLET_WHEEL"):
            # real PySpark and Sparklet side by side in one site-packages, as pip installs them
            msgs = ok("import os, pyspark, sparklet\n"
                      "os.path.dirname(os.path.dirname(pyspark.__file__)) == os.path.dirname(os.path.dirname(sparklet.__file__))")
            assert result_text(msgs) == "True"
        msgs = ok('%%configure -f\n{"backend": "sparklet", "master": "local[2]"}')
        assert "on the sparklet backend" in stream_text(msgs)
        msgs = ok("import pyspark\n(pyspark.__name__, sc.parallelize(range(4)).sum())")
        assert result_text(msgs) == "('sparklet', 6)"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
        km.cleanup_resources()
