"""Sparklet's benchmark suite: the same workloads on Sparklet, PySpark, plain Python and a
hand-written two-process version, each run in a fresh process (`python -m bench --help`)."""
