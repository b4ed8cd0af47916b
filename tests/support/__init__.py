"""Test support code shared by several test packages (no tests here)."""
