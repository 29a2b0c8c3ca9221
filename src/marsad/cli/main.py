"""The `marsad` entry point. Command modules under `marsad.cli.commands` register themselves.

Exit codes: 0 success; 1 bad input (the message names the record and the reason); 2 usage.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from marsad.errors import MarsadError

app = typer.Typer(
    name="marsad",
    help="marsad (مرصد): Arabic-first multilingual news observatory — articles to stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    import marsad.cli.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        module.register(app)


_register_commands()


def main() -> None:
    """Console-script entry. Click handles usage errors (exit 2); a MarsadError exits 1 with its message."""
    try:
        app()
    except MarsadError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
