"""Outputs: the PDF (WeasyPrint), the website (mkdocs plugin) and the build that swaps them in."""
