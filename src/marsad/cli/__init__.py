"""The `marsad` command line: a thin Typer layer over importable functions."""
