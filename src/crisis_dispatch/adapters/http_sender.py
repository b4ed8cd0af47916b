"""POST a delivery to a CAD endpoint over HTTP(S) with the standard library (the outbox's sender)."""

from __future__ import annotations

import urllib.error
import urllib.request

from crisis_dispatch.services.outbox import DeliveryFailed

TIMEOUT_S = 10.0


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_S) -> None:
    """Taken when the endpoint answers 2xx; anything else is :class:`DeliveryFailed`."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 -- admins register http(s) URLs only
            status = response.status
    except urllib.error.HTTPError as e:
        raise DeliveryFailed(f"HTTP {e.code} from {url}") from None
    except (urllib.error.URLError, OSError, ValueError) as e:
        raise DeliveryFailed(f"no answer from {url}: {getattr(e, 'reason', e)}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status} from {url}")
