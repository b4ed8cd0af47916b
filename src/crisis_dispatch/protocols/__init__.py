"""Triage protocols shipped with the package (YAML, read by adapters.protocol_loader)."""
