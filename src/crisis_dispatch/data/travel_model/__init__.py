"""Fitted travel-time model parameters (JSON), one file per region; no training data."""
