"""The web UI served by the API app: story list, story page with side-by-side comparison, article, search."""
