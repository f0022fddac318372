"""The kernel's seams with the engine: it follows contexts and operators through the engine's
driver hooks (sparklet.hooks, sparklet.callsite) and patches no engine class, on either backend;
and neither package has an import cycle."""

import ast
from pathlib import Path

import pytest

from kernel_harness import execute, result_text, running_kernel, stream_text

ROOT = Path(__file__).resolve().parent.parent


def module_imports(source_root, package):
    """{module: set of the package's modules it imports} over every .py file of `package`,
    function-level imports included (a lazy import is still a dependency)."""
    modules = {}
    for path in sorted((source_root / package).rglob("*.py")):
        parts = path.relative_to(source_root).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        name = ".".join(parts[:-1] if is_package else parts)
        modules[name] = (path, is_package)
    graph = {}
    for name, (path, is_package) in modules.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                deps.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name if is_package else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        base = base.rpartition(".")[0]
                    module = base + ("." + node.module if node.module else "")
                else:
                    module = node.module
                for alias in node.names:  # `from . import listener` imports the module listener
                    full = module + "." + alias.name
                    deps.add(full if full in modules else module)
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle_through_a_package_and_a_lazy_import(tmp_path):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("from .a import x\n")
    (pkg / "a.py").write_text("x = 1\ndef f():\n    from . import b\n")
    (pkg / "b.py").write_text("from pkg.a import x\n")
    (pkg / "c.py").write_text("from . import a\n")
    assert cycles(module_imports(tmp_path, "pkg")) == [["pkg.a", "pkg.b"]]


@pytest.mark.parametrize("source_root, package", [
    ("kernel", "sparklet_kernel"),
    ("engine", "sparklet"),
])
def test_no_module_is_part_of_an_import_cycle(source_root, package):
    assert cycles(module_imports(ROOT / source_root, package)) == []


# -- no engine class is patched ------------------------------------------------------------------

FINGERPRINT = """
import sys, types
def _fingerprint(*packages):
    # every class of the packages' imported modules with its attributes, and every module function
    out = []
    for name, module in list(sys.modules.items()):
        if module is None or not any(name == p or name.startswith(p + ".") for p in packages):
            continue
        for attr, value in list(vars(module).items()):
            if getattr(value, "__module__", None) != name:
                continue
            if isinstance(value, type):
                out.append(("%s.%s" % (name, attr), value, dict(vars(value))))
            elif isinstance(value, types.FunctionType):
                out.append(("%s.%s" % (name, attr), module, {attr: value}))
    return out
_BEHAVIOUR = (types.FunctionType, classmethod, staticmethod, property, type)
def _changed(fingerprint):
    # the methods (functions, descriptors) that are no longer the very objects they were, or were
    # added to a class; a class's data (the active context, a pickling cache) may change
    diff = set()
    for where, owner, attrs in fingerprint:
        now = vars(owner)
        for attr in set(attrs) | (set(now) if isinstance(owner, type) else set()):
            old, new = attrs.get(attr), now.get(attr)
            if new is not old and (isinstance(old, _BEHAVIOUR) or isinstance(new, _BEHAVIOUR)):
                diff.add(where + ("." + attr if isinstance(owner, type) else ""))
    return sorted(diff)
"""

ENGINE_USE = """
import inspect
from sparklet import SparkContext, SparkConf
counter = 0
def bump(x):
    global counter
    counter += 1
sc.parallelize(range(4)).foreach(bump)
sc = SparkContext(conf=SparkConf().setMaster('local[1]').setAppName('mine'))
assert SparkContext.getOrCreate() is sc
pairs = sc.parallelize(range(6), 2).map(lambda x: (x % 2, x)).reduceByKey(max)
(pairs.callSite.rpartition(':')[0] == inspect.currentframe().f_code.co_filename, sorted(pairs.collect()))
"""


def test_the_kernel_patches_no_engine_class_on_either_backend(tmp_path):
    # a stock IPython kernel: the engine (and Apache Spark's pyspark) are imported and their
    # classes fingerprinted before the kernel loads
    with running_kernel(tmp_path, kernel_name="python3") as (km, kc):
        reply, msgs = execute(kc, FINGERPRINT + "import sparklet, sparklet.hooks, sparklet.callsite\n"
                                                "import pyspark.core.rdd, pyspark.core.context\n"
                                                "before = _fingerprint('sparklet', 'pyspark')\n"
                                                "len(before) > 100, 'sparklet' in pyspark.__file__")
        assert result_text(msgs) == "(True, False)", (reply, stream_text(msgs, "stderr"))
        reply, msgs = execute(kc, "%load_ext sparklet_kernel")
        assert reply["status"] == "ok", reply
        # what the kernel does with the engine: jobs, the teaching warning, a notebook's own context
        # replacing the running one, getOrCreate, a DAG preview, a task error
        reply, msgs = execute(kc, ENGINE_USE)
        assert reply["status"] == "ok", reply
        assert "assigns to the driver global `counter`" in stream_text(msgs, "stderr")
        assert "replaces it" in stream_text(msgs)
        # call sites name the cell, not a kernel wrapper
        assert result_text(msgs) == "(True, [(0, 4), (1, 5)])"
        assert execute(kc, "%spark dag pairs")[0]["status"] == "ok"
        assert execute(kc, "sc.parallelize([0]).map(lambda x: 1 / x).collect()")[0]["status"] == "error"
        reply, msgs = execute(kc, "_changed(before)")
        assert result_text(msgs) == "[]"

        # on the pyspark backend the kernel wraps Apache Spark's classes (they have no hooks),
        # never Sparklet's, and puts them back when the session leaves the backend
        reply, msgs = execute(kc, '%%configure -f\n{"backend": "pyspark", "master": "local[1]"}', timeout=240)
        assert reply["status"] == "ok" and "on the pyspark backend" in stream_text(msgs), (reply, stream_text(msgs))
        reply, msgs = execute(kc, "total = sc.parallelize(range(5)).map(lambda x: x + 1).sum()\n"
                                  "changed = _changed(before)\n"
                                  "(total, [c for c in changed if not c.startswith('pyspark.')], "
                                  "'pyspark.core.context.SparkContext.__init__' in changed, "
                                  "'pyspark.core.rdd.RDD.map' in changed)")
        assert result_text(msgs) == "(15, [], True, True)"
        reply, msgs = execute(kc, '%%configure -f\n{"backend": "sparklet", "master": "local[1]"}')
        assert reply["status"] == "ok", reply
        reply, msgs = execute(kc, "_changed(before), sc.parallelize(range(5)).sum()")
        assert result_text(msgs) == "([], 10)"
