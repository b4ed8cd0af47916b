"""The dispatcher console and the crew's phone view: server-rendered pages, a little
JavaScript, and the live feed (Server-Sent Events) they update from.

``mount(app)`` adds everything to an API built by ``create_app``: the pages (``/``,
``/login``, ``/console``, ``/crew``, ``/board``, ``/reports``, ``/care``, ``/persons``), the static files (``/static``; vendored
libraries under ``/static/vendor``, never fetched from the internet) and the console's
JSON routes (``/api/v1/events``, ``/api/v1/protocol``, ``/api/v1/checkins``).
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .paths import STATIC_DIR


def mount(app: FastAPI) -> None:
    from . import api, feed, pages, pages_care, pages_persons

    app.include_router(api.router)
    app.include_router(feed.router)
    app.include_router(pages.router)
    app.include_router(pages_care.router)
    app.include_router(pages_persons.router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
