"""The kernel's version (one place: the package, the kernel's banner and the session snapshot read it)."""

__version__ = "0.1.0"
