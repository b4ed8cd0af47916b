"""The discrete-event core: event kinds and a small event loop, in SimPy's shape.

As SimPy's ``core.py`` does, the loop keeps a heap of ``(time, priority, seq, ...)`` and
``step()`` pops the earliest entry and runs it: events at the same time run by priority,
then in the order they were scheduled (``seq``, a counter), so ties always break the same
way. Unlike SimPy, an event is not an object with callbacks but a kind and an integer
payload; ``step()`` hands the payload to the handler registered for that kind.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping
from enum import IntEnum


class EventKind(IntEnum):
    """What happens to an area. The value is the default priority: at equal times a lower
    value runs first, so a van that clears is free before a call arriving at the same
    instant is dispatched (arrivals come after every other event at the same time)."""

    CLEAR = 0  # a van hands over at the destination and is free again
    SHIFT_ON = 1  # a van's shift window starts
    SHIFT_OFF = 2  # a van's shift window ends
    ARRIVE_SCENE = 3  # the crew reaches the caller
    END_SCENE = 4  # the crew leaves the scene: closes there or starts a transport
    AT_DEST = 5  # the van reaches the destination
    ESCALATE = 6  # a waiting call reaches a step of its 60/120-minute clock
    FALLBACK = 7  # a waiting call is handed to the fallback responder
    ROLL = 8  # the crew rolls after the turnout time
    ARRIVAL = 9  # a call comes in


#: One scheduled event as the heap holds it: ``(time, priority, seq, kind, payload)``. The heap
#: orders by ``(time, priority, seq)``; ``seq`` is unique, so ``kind`` and ``payload`` are never
#: compared. A plain tuple, not a named one: building a ``NamedTuple`` costs four times as much,
#: once per event.
Event = tuple[float, int, int, EventKind, int]

Handler = Callable[[float, int], None]


class EventLoop:
    """A heap of :class:`Event` and the handler of each kind (called ``handler(time, payload)``).

    ``run(until)`` steps while the next event is due at or before ``until`` and leaves later
    ones in the heap; ``processed`` counts the events run."""

    __slots__ = ("_handlers", "_heap", "_seq", "now", "processed")

    def __init__(self, handlers: Mapping[EventKind, Handler]) -> None:
        self._handlers = dict(handlers)
        self._heap: list[Event] = []
        self._seq = 0
        self.now = 0.0
        self.processed = 0

    def schedule(self, time: float, kind: EventKind, payload: int, priority: int | None = None) -> None:
        """Schedule ``kind`` at ``time``; ``priority`` defaults to the kind's value."""
        self._seq += 1
        heapq.heappush(self._heap, (time, kind if priority is None else priority, self._seq, kind, payload))

    def peek(self) -> float:
        """The time of the next event (infinity when none is scheduled)."""
        return self._heap[0][0] if self._heap else float("inf")

    def step(self) -> None:
        """Run the next event (``IndexError`` when none is scheduled)."""
        time, _, _, kind, payload = heapq.heappop(self._heap)
        self.now = time
        self.processed += 1
        self._handlers[kind](time, payload)

    def run(self, until: float) -> int:
        """Run every event due at or before ``until``; returns the number of events run so far.
        (``step`` inlined: this loop runs once per event.)"""
        heap, handlers, pop = self._heap, self._handlers, heapq.heappop
        processed = self.processed
        try:
            while heap and heap[0][0] <= until:
                time, _, _, kind, payload = pop(heap)
                self.now = time
                processed += 1
                handlers[kind](time, payload)
        finally:
            self.processed = processed
        return processed

    def close(self) -> None:
        """Drop the handlers and the pending events. Handlers are usually bound methods of the
        loop's owner, which holds the loop: a reference cycle that only the cyclic garbage
        collector would free otherwise (with all the owner's state)."""
        self._handlers.clear()
        self._heap.clear()
