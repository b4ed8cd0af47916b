"""Follow-up completion (issue 14 item 3): of the follow-up tasks due in a window, how many
were done by their due time, done late, are still open past due (overdue), and what came of
them. Read from the tasks themselves (``follow_up_tasks``), not from the status history.

A task counts in the window it is *due* in; a retry is a task of its own (it has its own due
time), so a person called three times counts three tasks. Cancelled tasks are counted apart
and left out of the denominator: they were withdrawn with a reason, not missed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from crisis_dispatch.domain.follow_ups import FollowUpTask, TaskResult, TaskStatus


def _share(count: int, denominator: int) -> dict[str, Any]:
    return {"count": count, "share": round(count / denominator, 4) if denominator else None, "denominator": denominator}


def follow_up_completion(tasks: Sequence[FollowUpTask], now: datetime) -> dict[str, Any]:
    """The figures of ``tasks`` (those due in the window) at ``now``."""
    cancelled = [t for t in tasks if t.status is TaskStatus.CANCELLED]
    counted = [t for t in tasks if t.status is not TaskStatus.CANCELLED]
    done = [t for t in counted if t.status is TaskStatus.DONE]
    on_time = sum(1 for t in done if t.on_time())
    results = Counter(t.result.value for t in done if t.result is not None)
    return {
        "due": len(counted),
        "done_on_time": on_time,
        "done_late": len(done) - on_time,
        "overdue": sum(1 for t in counted if t.overdue(now)),
        "open_not_yet_due": sum(1 for t in counted if t.status is TaskStatus.OPEN and not t.overdue(now)),
        "cancelled": len(cancelled),
        "by_result": {r.value: results.get(r.value, 0) for r in TaskResult},
        "by_kind": dict(sorted(Counter(t.kind.value for t in counted).items())),
        "completion_on_time": _share(on_time, len(counted)),
    }
