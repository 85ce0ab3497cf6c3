"""Where a notice comes from: YAML with lines, the working tree or a git tree, the model."""
