"""Actions: what a user runs that renders, checks and writes (release, verify, the site build)."""
