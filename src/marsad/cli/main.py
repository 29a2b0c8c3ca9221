"""The `marsad` entry point. Command modules under `marsad.cli.commands` register themselves.

Exit codes: 0 when every input was stored (or was already there); 1 when any input was rejected
(after all the others were processed; the summary names each) or the command could not run (the
message says why and what to do); 2 for usage errors.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Annotated, Any

import typer
import typer.core

from marsad import __version__
from marsad.errors import MarsadError

app = typer.Typer(
    name="marsad",
    help="marsad (مرصد): Arabic-first multilingual news observatory — articles to stories.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _flag_type_hidden(self: typer.core.TyperOption, ctx: Any) -> str | None:
    # Typer 0.29's rich help labels flags `<bool>` as if they took a value; a flag takes none.
    if self.is_flag:
        return None
    return _typed(self, ctx)


_typed = typer.core.TyperOption.display_type_rich
typer.core.TyperOption.display_type_rich = _flag_type_hidden  # type: ignore[method-assign]


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"marsad {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Print the version and exit.", callback=_print_version, is_eager=True),
    ] = False,
) -> None:
    """marsad (مرصد): Arabic-first multilingual news observatory — articles to stories."""


def _register_commands() -> None:
    import marsad.cli.commands as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        module.register(app)


_register_commands()


def main() -> None:
    """Console-script entry. Click handles usage errors (exit 2); a MarsadError, or a file that cannot
    be read or written, exits 1 with one line saying why."""
    try:
        app()
    except MarsadError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(1)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
        sys.exit(1)
