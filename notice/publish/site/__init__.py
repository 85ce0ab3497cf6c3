"""The public website: an mkdocs plugin that turns the notice and its versions into pages."""
