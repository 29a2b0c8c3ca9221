"""One module per command group; each exposes `register(app)` and is discovered by `marsad.cli.main`."""
