"""What the kernel's magics share (``%spark ...`` and sparkmagic's ``%%configure`` ...): option
parsing and the session they act on.

argparse, with its two exits turned into what IPython shows well: a bad option raises IPython's
`UsageError` naming the magic with its usage line, and ``--help`` raises `HelpShown` carrying
the help text (the magic prints it and does nothing else).
"""

import argparse
import shlex

from IPython.core.error import UsageError
from IPython.core.magic import Magics


class HelpShown(Exception):
    """``--help`` was given; ``args[0]`` is the help text to print."""


class MagicArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser for a magic's line.

    >>> p = MagicArgumentParser(prog="%%logs")
    >>> _ = p.add_argument("-n", type=int, default=50)
    >>> parse(p, "-n 3").n
    3
    >>> parse(p, "-n many")
    Traceback (most recent call last):
    ...
    IPython.core.error.UsageError: %%logs: argument -n: invalid int value: 'many'
    usage: %%logs [-h] [-n N]
    """

    def error(self, message):
        raise UsageError("%s: %s\n%s" % (self.prog, message, self.format_usage().strip()))

    def exit(self, status=0, message=None):
        if message:
            raise UsageError(message)
        raise HelpShown(self.format_help())

    def print_help(self, file=None):
        # subcommand parsers print their own help through here before exiting
        raise HelpShown(self.format_help())


def parse(parser, line):
    """The parsed arguments of a magic's `line` (shell-style quoting, as sparkmagic's magics)."""
    try:
        words = shlex.split(line)
    except ValueError as e:
        raise UsageError("%s: %s" % (parser.prog, e)) from None
    return parser.parse_args(words)


class SessionMagicsBase(Magics):
    """Magics that act on one Sparklet session (``self.session``): they read its status store,
    live display and backend, never the scheduler."""

    def __init__(self, shell, session):
        super().__init__(shell)
        self.session = session
