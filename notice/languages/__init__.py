"""A notice's translations as files, and a rendering in one language (below history and status)."""
