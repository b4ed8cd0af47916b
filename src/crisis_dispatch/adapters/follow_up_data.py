"""Read the follow-up rules and the provider directory from the shipped YAML files.

The files are parsed here and validated by :mod:`crisis_dispatch.adapters.config.follow_ups`;
nothing is read at import time, and each file is read once per process.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from crisis_dispatch.adapters.config.errors import ConfigError
from crisis_dispatch.adapters.config.follow_ups import follow_up_rules_from_data, providers_from_data
from crisis_dispatch.domain.follow_ups import FollowUpRules, Provider

RULES_FILE = "follow_up_rules.yaml"
PROVIDERS_FILE = "la/providers.yaml"


def _yaml(text: str, origin: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "(yaml)"
        raise ConfigError([f"{origin}: {where}: invalid YAML: {getattr(exc, 'problem', None) or exc}"]) from None


def _shipped(name: str) -> str:
    return resources.files("crisis_dispatch.data").joinpath(name).read_text(encoding="utf-8")


def parse_follow_up_rules(text: str, origin: str = RULES_FILE) -> FollowUpRules:
    """Rules from YAML text; ConfigError (every problem, located) otherwise."""
    return follow_up_rules_from_data(_yaml(text, origin))


def parse_providers(text: str, origin: str = PROVIDERS_FILE) -> tuple[Provider, ...]:
    return providers_from_data(_yaml(text, origin))


@lru_cache(maxsize=1)
def load_follow_up_rules(path: str | None = None) -> FollowUpRules:
    """The shipped rules (or the file at ``path``)."""
    text = Path(path).read_text(encoding="utf-8") if path else _shipped(RULES_FILE)
    return parse_follow_up_rules(text, path or RULES_FILE)


@lru_cache(maxsize=1)
def load_providers(path: str | None = None) -> tuple[Provider, ...]:
    """The shipped provider directory (or the file at ``path``)."""
    text = Path(path).read_text(encoding="utf-8") if path else _shipped(PROVIDERS_FILE)
    return parse_providers(text, path or PROVIDERS_FILE)
