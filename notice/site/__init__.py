"""The public website: an mkdocs plugin that turns one RenderedNotice into mkdocs-material pages."""
