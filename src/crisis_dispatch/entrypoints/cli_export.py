"""The ``export`` command group, shared by the modules that add exports to it (the
de-identified export in ``cli_reports``, the NEMSIS export in ``cli_interop``); the main app
adds the group once."""

from __future__ import annotations

import typer

export_app = typer.Typer(
    help="Exports: de-identified data for analysts and researchers, NEMSIS v3.5 for the county EMS agency.",
    no_args_is_help=True,
)
