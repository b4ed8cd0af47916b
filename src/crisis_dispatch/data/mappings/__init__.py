"""Code mappings shipped with the package (see SOURCES.md)."""
