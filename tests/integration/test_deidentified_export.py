"""The de-identified export: nothing of the person, the caller, the narrative or a note survives.

Distinctive strings are planted in every free-text and identifying field an incident has;
the export (through the service on SQLite and PostgreSQL, and through the CLI on a file) is
searched for each of them, for the incident and call ids, the coordinates and the exact dates.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from crisis_dispatch.bootstrap import Container
from crisis_dispatch.domain.access import UserRole
from crisis_dispatch.domain.outcomes import Destination, DestinationType, Disposition, Hold, HoldCriterion, HoldType, Outcome
from crisis_dispatch.reporting.deidentify import FIELDS
from crisis_dispatch.services import incidents, reports, units
from crisis_dispatch.services.context import SYSTEM, Actor
from crisis_dispatch.services.incidents import CallIntake
from tests.cli.helpers import assert_one_error_line
from tests.integration.helpers import staffed_unit

#: What must never appear in the export, by where it was planted.
PLANTED = {
    "caller name": "Zebulon Quixotic-Caller",
    "caller phone": "555-0199-8817",
    "narrative": "PLUMCRANE",
    "address": "742 Evergreen Terrace XQJ",
    "person": "WOMBATFIRE",
    "note": "SAPPHIRE-LOBSTER",
    "outcome summary": "GLACIER-SUMMARY",
    "referral": "MARMOT-REFERRAL",
    "hold facts": "OSPREY-HOLDFACTS",
}
LAT, LON = 34.048813, -118.239017


def _plant(container: Container, clock) -> list[str]:
    """Twelve worked calls full of planted strings (one a 95-year-old on a 5150 hold) and a
    call triage could not judge; the ids of everything created."""
    ctx = container.ctx
    unit = staffed_unit(container, "TTP-D", hours=48)
    ids = []
    for k in range(12):
        intake = CallIntake(
            lat=LAT,
            lon=LON,
            address=PLANTED["address"],
            call_type="EDP",
            narrative=f"Man pacing and talking to himself, calm, no weapons. {PLANTED['narrative']}",
            caller_name=PLANTED["caller name"],
            caller_phone=PLANTED["caller phone"],
            subject_description=f"tall man, tattoo {PLANTED['person']}",
            subject_age=95 if k == 0 else 30 + k,
        )
        result = incidents.take_call(ctx, SYSTEM, intake)
        incident = result.incident["id"]
        ids += [incident, *(c["id"] for c in result.incident.get("calls", []))]
        incidents.assign_unit(ctx, SYSTEM, incident, unit)
        clock.advance(timedelta(minutes=20))
        units.set_unit_status(ctx, SYSTEM, unit, "on_scene")
        incidents.add_note(ctx, SYSTEM, incident, f"Calmer now. {PLANTED['note']}")
        now = clock.now()
        if k == 0:
            units.set_unit_status(ctx, SYSTEM, unit, "transporting")
            hold = Hold(
                HoldType.WIC_5150,
                "stf-ttp-d-psych",
                now,
                now,
                frozenset({HoldCriterion.DANGER_TO_SELF}),
                False,
                PLANTED["hold facts"],
            )
            outcome = Outcome(
                Disposition.INVOLUNTARY_HOLD,
                now,
                "system",
                destination=Destination(DestinationType.PSYCHIATRIC_URGENT_CARE),
                hold=hold,
                summary=PLANTED["outcome summary"],
            )
        else:
            outcome = Outcome(
                Disposition.REFERRED, now, "system", referrals=(PLANTED["referral"],), summary=PLANTED["outcome summary"]
            )
        incidents.record_outcome(ctx, SYSTEM, incident, outcome)
        if k == 0:
            units.set_unit_status(ctx, SYSTEM, unit, "at_destination")
        units.set_unit_status(ctx, SYSTEM, unit, "available")
    ids.append(incidents.take_call(ctx, SYSTEM, CallIntake(lat=LAT, lon=LON, narrative="Caller hung up")).incident["id"])
    clock.advance(timedelta(minutes=10))
    return ids


def _assert_nothing_identifying(text: str, ids: list[str], start) -> None:
    for where, planted in PLANTED.items():
        assert planted.lower() not in text.lower(), f"the {where} survived"
    for ident in ids:
        assert ident not in text, f"id {ident} survived"
    assert "34.04" not in text and "118.23" not in text, "coordinates survived"
    assert start.strftime("%Y-%m-%d") not in text and "T" + start.strftime("%H:") not in text, "an exact date survived"


def test_the_export_keeps_no_field_of_the_person_caller_narrative_or_note(container: Container, clock) -> None:
    start = clock.now() - timedelta(minutes=1)
    ids = _plant(container, clock)
    rows = reports.deidentified_export(container.ctx, Actor("ana", role=UserRole.ANALYST), start, clock.now())
    assert len(rows) == 13 and list(rows[0]) == [f.name for f in FIELDS]
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    _assert_nothing_identifying(out.getvalue(), ids, start)
    assert {r["period"] for r in rows} == {"2026-11"}
    assert {r["state"] for r in rows} == {"CA"}
    team = [r for r in rows if r["team_call"] == "yes"]
    assert len(team) == 12 and all(r["reached"] == "yes" and r["response_minutes"] == "20" for r in team)
    held = [r for r in rows if r["hold_type"] == "5150"]
    assert len(held) == 1 and held[0]["outcome"] == "involuntary_hold"
    # Eleven or more rows share a period and area type; ages are generalised until their cells do too.
    assert all(r["age"] in ("", "withheld") or "-" in r["age"] or r["age"] == "90+" for r in rows)
    assert [r for r in rows if r["screened_out_reason"] == "not_triaged"]


def test_the_cli_writes_the_export_and_its_data_dictionary(sqlite_container: Container, clock, tmp_path: Path) -> None:
    start = clock.now() - timedelta(minutes=1)
    ids = _plant(sqlite_container, clock)
    db = sqlite_container.settings.db_path
    out = tmp_path / "calls.csv"
    cli = [sys.executable, "-m", "crisis_dispatch", "export", "deidentified", "--db", str(db)]
    window = ["--start", start.isoformat(), "--end", clock.now().isoformat()]
    done = subprocess.run([*cli, *window, "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "wrote 13 de-identified rows" in done.stdout
    text = out.read_text(encoding="utf-8")
    dictionary = (tmp_path / "calls.dictionary.csv").read_text(encoding="utf-8")
    _assert_nothing_identifying(text + dictionary, ids, start)
    header = next(csv.reader(io.StringIO(text)))
    assert header == [f.name for f in FIELDS]
    assert [row["field"] for row in csv.DictReader(io.StringIO(dictionary))] == header
    done = subprocess.run([*cli, *window, "--out", str(out), "--dates", "year"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and {r["period"] for r in csv.DictReader(io.StringIO(out.read_text()))} == {"2026"}
    assert_one_error_line(
        subprocess.run([*cli, *window, "--out", str(out), "--dates", "day"], capture_output=True, text=True, timeout=120),
        "month' or 'year",
    )
    assert_one_error_line(
        subprocess.run(
            [*cli, *window, "--out", str(tmp_path / "no" / "such" / "dir.csv")], capture_output=True, text=True, timeout=120
        ),
        "cannot write",
    )
