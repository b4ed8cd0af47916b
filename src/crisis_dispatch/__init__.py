"""crisis-dispatch: tiered 911 dispatch of mental-health crisis teams."""

__version__ = "0.1.0"
