"""Render a notice: sandboxed Jinja2, then markdown-it-py, to HTML, Markdown and canonical text."""
