"""A sweep grid's ``[grid]`` table validated by pydantic.

Every key is optional; each axis named is a non-empty list. Whole numbers >= 1 for
``fleet_size`` and ``replications`` (``2.0`` is read as 2), numbers > 0 for
``demand_growth``, shift names for ``shift`` (the scenario's, when one is given) and
protocols for ``protocol``. What depends on the scenario and on the protocol files comes in
as plain values (:class:`GridContext`), so this layer knows nothing of the simulator.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError, ValidationInfo, model_validator

from crisis_dispatch.simulation.grid import AXES, EXAMPLE

from .errors import ConfigError, problem, problems


@dataclass(frozen=True)
class GridContext:
    """What a grid is checked against: the scenario's name, its shifts and whether it has
    one area (``None``: no scenario), and ``protocol_problem`` (a protocol name or file ->
    what is wrong with it, or ``None``)."""

    scenario: str | None = None
    shifts: Collection[str] | None = None
    single_area: bool | None = None
    protocol_problem: Callable[[str], str | None] | None = None


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _whole(v: Any) -> int:
    if _is_number(v) and float(v).is_integer() and v >= 1:
        return int(v)
    raise problem(f"{v!r} is not a whole number >= 1")


def _multiplier(v: Any) -> Any:
    if not _is_number(v) or not math.isfinite(v) or v <= 0:
        raise problem(f"{v!r} is not a multiplier > 0 (1.0 is the scenario's volume)")
    return v


def _shift(v: Any, info: ValidationInfo) -> Any:
    if not isinstance(v, str):
        raise problem(f"{v!r} is not a shift name")
    ctx: GridContext = info.context or GridContext()
    if ctx.shifts is not None and v not in ctx.shifts:
        raise problem(f"unknown shift {v!r} (defined in {ctx.scenario}: {', '.join(ctx.shifts)})")
    return v


def _protocol(v: Any) -> Any:
    if not isinstance(v, str):
        raise problem(f"{v!r} is not a protocol name or file")
    return v


Whole = Annotated[int, BeforeValidator(_whole)]


class Grid(BaseModel):
    """The ``[grid]`` table; fields in the order their problems are reported."""

    model_config = ConfigDict(frozen=True)

    fleet_size: list[Whole] = []
    replications: Whole = 1
    demand_growth: list[Annotated[Any, AfterValidator(_multiplier)]] = []
    shift: list[Annotated[Any, AfterValidator(_shift)]] = []
    protocol: list[Annotated[Any, AfterValidator(_protocol)]] = []

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any) -> Any:
        """A table of known keys, a non-empty list on each axis it names (checked first, alone)."""
        if not isinstance(data, Mapping):
            raise problem(f"needs a [grid] table with any of: {', '.join(AXES)}")
        unknown = set(data) - {*AXES, "replications"}
        if unknown:
            raise problem(f"unknown grid keys {sorted(unknown)} (known: {', '.join(AXES)}, replications)")
        empty = [axis for axis in AXES if axis in data and (not isinstance(data[axis], list) or not data[axis])]
        if empty:
            raise problem("; ".join(f"grid.{axis} must be a non-empty list (e.g. {axis} = {EXAMPLE[axis]})" for axis in empty))
        return data

    @model_validator(mode="after")
    def _against_the_scenario(self, info: ValidationInfo) -> Grid:
        """Each protocol loads, and fleet sizes are asked of a single-area scenario."""
        ctx: GridContext = info.context or GridContext()
        found = [f"grid.{p}" for v in self.protocol if ctx.protocol_problem and (p := ctx.protocol_problem(v))]
        if self.fleet_size and ctx.single_area is False:
            found.append(f"grid.fleet_size needs a single-area scenario (la-ttp, la-ttp-20k), not {ctx.scenario}")
        if found:
            raise problem("; ".join(found))
        return self


def validate_grid(table: Any, context: GridContext | None = None) -> dict[str, Any]:
    """The ``[grid]`` table checked, with its keys in the file's order and whole numbers as
    ``int``; raise :class:`ConfigError` naming every problem with its key and value."""
    try:
        grid = Grid.model_validate(table, context=context or GridContext())
    except ValidationError as exc:
        raise ConfigError(problems(exc, table, top=None, root="grid", indexed=False)) from None
    checked = grid.model_dump(exclude_unset=True)
    return {key: checked[key] for key in table if key in checked}
