"""The ``sparklet`` command: ``sparklet livy`` serves Apache Livy's REST API on Sparklet sessions."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(prog="sparklet", description="Sparklet's command-line tools.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    livy = commands.add_parser(
        "livy", help="serve Apache Livy's REST API (interactive sessions) for sparkmagic",
        description="Serve Apache Livy's REST API for interactive PySpark sessions, each a Sparklet driver "
                    "process. Stops, with every session, on SIGTERM, SIGINT or when its parent process dies.")
    livy.add_argument("--host", default="127.0.0.1",
                      help="address to bind (default 127.0.0.1); any but 127.0.0.1, ::1 or localhost needs --token")
    livy.add_argument("--port", type=int, default=8998, help="port (default 8998, sparkmagic's default URL)")
    livy.add_argument("--token", help="require this token (Authorization: Bearer TOKEN, or HTTP Basic with the "
                                      "token as password); env SPARKLET_LIVY_TOKEN keeps it out of `ps`")
    livy.add_argument("--max-sessions", type=int, metavar="N", help="refuse new sessions while N are running")
    livy.add_argument("--master", help="master URL of the sessions' contexts (default: env SPARKLET_MASTER, "
                                       "else local[*]; a session's numExecutors x executorCores overrides it)")
    livy.add_argument("--csrf", action="store_true",
                      help="Livy's CSRF protection: POST and DELETE requests need an X-Requested-By header")
    args = parser.parse_args(argv)
    if args.command != "livy":
        parser.print_help(sys.stderr)
        return 2
    if args.max_sessions is not None and args.max_sessions < 1:
        parser.error("--max-sessions must be at least 1")
    from .livy import serve

    try:
        serve(args.host, args.port, token=args.token, max_sessions=args.max_sessions, csrf=args.csrf,
              master=args.master)
    except (ValueError, OSError) as e:
        print("sparklet livy: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
