"""The program report through the API: a month of 113 team calls built call by call through
``/api/v1`` (23 treated and released on site), read back as JSON, CSV, HTML and PDF."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

from crisis_dispatch.bootstrap import Container, build, upgrade
from crisis_dispatch.config import Settings
from crisis_dispatch.domain.access import MACHINE_ROLES, UserRole
from crisis_dispatch.domain.clock import FixedClock
from crisis_dispatch.entrypoints.api.app import create_app
from crisis_dispatch.entrypoints.api.responses import ProgramReport
from crisis_dispatch.services.context import Triager
from tests.integration.helpers import staffed_unit
from tests.support.app import TEST_SECRET, add_users, login_tokens

LA = ZoneInfo("America/Los_Angeles")
OCTOBER = datetime(2026, 10, 1, tzinfo=LA)
NOVEMBER = datetime(2026, 11, 1, tzinfo=LA)
DECEMBER = datetime(2026, 12, 1, tzinfo=LA)
PASSWORD = "test-password-123"
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "report"
CALM = "Man pacing and talking to himself, calm, no weapons."
#: November's team calls: (disposition, destination type, how many, with a CARE Court referral
#: recorded alongside) -- 113, as the seed counts them.
NOVEMBER_MIX = (
    ("treated_and_released", None, 23, False),
    ("referred", None, 40, False),
    ("declined_services", None, 27, False),
    ("declined_services", None, 3, True),
    ("voluntary_transport", "psychiatric_urgent_care", 20, False),
)
#: October, for the month-over-month line: fewer calls, fewer treated on site.
OCTOBER_MIX = (("treated_and_released", None, 12, False), ("referred", None, 18, False))
NOT_TRIAGED = 12  # November calls with too little information to triage


@dataclass
class Program:
    client: TestClient
    tokens: dict[str, str]
    container: Container
    db: Path

    def get(self, role: str, fmt: str = "json", start: datetime = NOVEMBER, end: datetime = DECEMBER) -> object:
        params = {"start": start.isoformat(), "end": end.isoformat(), "format": fmt}
        return self.client.get("/api/v1/reports/program", params=params, headers=self.h(role))

    def h(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def _work_month(client: TestClient, h: dict[str, dict[str, str]], clock: FixedClock, unit: str, mix, first: datetime) -> None:
    """Each call through the API: taken, dispatched, reached, its outcome recorded, the van freed."""
    for disposition, destination, count, care in mix:
        for _ in range(count):
            r = client.post("/api/v1/calls", json={"lat": 34.05, "lon": -118.25, "narrative": CALM}, headers=h["call_taker"])
            assert r.status_code == 201, r.text
            incident = r.json()["id"]
            assert client.post(f"/api/v1/incidents/{incident}/assign", json={"unit_id": unit}, headers=h["dispatcher"]).is_success
            clock.advance(timedelta(minutes=25))
            assert client.post(f"/api/v1/units/{unit}/status", json={"status": "on_scene"}, headers=h["dispatcher"]).is_success
            body: dict[str, object] = {"disposition": disposition, "care_referral": care}
            if destination:
                client.post(f"/api/v1/units/{unit}/status", json={"status": "transporting"}, headers=h["dispatcher"])
                body["destination"] = {"type": destination}
            clock.advance(timedelta(minutes=40))
            r = client.post(f"/api/v1/incidents/{incident}/outcome", json=body, headers=h["dispatcher"])
            assert r.status_code == 200, r.text
            if destination:
                client.post(f"/api/v1/units/{unit}/status", json={"status": "at_destination"}, headers=h["dispatcher"])
            r = client.post(f"/api/v1/units/{unit}/status", json={"status": "available"}, headers=h["dispatcher"])
            assert r.status_code == 200, r.text
            clock.advance(timedelta(hours=5))


@pytest.fixture(scope="module")
def program(tmp_path_factory: pytest.TempPathFactory, triager: Triager) -> Iterator[Program]:
    db = tmp_path_factory.mktemp("program") / "program.sqlite3"
    clock = FixedClock(OCTOBER + timedelta(hours=1))
    settings = Settings(db_path=db, secret_key=TEST_SECRET, token_ttl_hours=24 * 90)
    container = build(settings, clock=clock, triager=triager)
    upgrade(container.engine)
    try:
        unit = staffed_unit(container, "TTP-R", hours=24 * 70)
        logins = {role: (role.value.replace("_", "-"), PASSWORD) for role in UserRole if role not in MACHINE_ROLES}
        add_users(container.ctx, logins, "stf-ttp-r-peer_")
        client = TestClient(create_app(settings, container=container))
        tokens = {role.value: token for role, token in login_tokens(client, logins).items()}
        h = {role: {"Authorization": f"Bearer {token}"} for role, token in tokens.items()}
        _work_month(client, h, clock, unit, OCTOBER_MIX, OCTOBER)
        clock.advance((NOVEMBER + timedelta(hours=1)) - clock.now())
        for _ in range(NOT_TRIAGED):
            r = client.post(
                "/api/v1/calls", json={"lat": 34.05, "lon": -118.25, "narrative": "Caller hung up"}, headers=h["call_taker"]
            )
            assert r.status_code == 201 and r.json()["screened_out_reason"] == "not_triaged", r.text
        _work_month(client, h, clock, unit, NOVEMBER_MIX, NOVEMBER)
        clock.advance(DECEMBER + timedelta(days=1) - clock.now())
        yield Program(client, tokens, container, db)
        client.close()
    finally:
        container.dispose()


HEADLINE = "23 of 113 (20.4 %)"


def test_the_json_says_23_of_113_with_the_scripted_keys(program: Program) -> None:
    r = program.get("supervisor")
    assert r.status_code == 200, r.text
    report = r.json()
    assert list(report) == [
        "window", "team_calls", "outcomes", "response_times", "screened_out", "holds", "transports", "impact",
        "definitions_version",
    ]  # fmt: skip
    assert report["team_calls"] == 113
    ProgramReport.model_validate(report)  # the OpenAPI's model declares every key, at every depth
    assert report["outcomes"]["treated_and_released_on_site"] == {"count": 23, "share": 0.2035, "denominator": 113}
    assert report["screened_out"]["by_reason"]["not_triaged"]["count"] == NOT_TRIAGED
    assert report["transports"]["by_destination"]["psychiatric_urgent_care"]["count"] == 20
    assert report["response_times"]["p50"] == pytest.approx(25.0, abs=0.1)
    # CARE referrals recorded alongside another disposition are counted (three declined services).
    assert report["impact"]["care_court_referrals"] == {"count": 3, "share": 0.0265, "denominator": 113}


def test_the_csv_has_23_of_113_on_the_outcome_row(program: Program) -> None:
    r = program.get("supervisor", "csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = {(row["section"], row["figure"]): row for row in csv.DictReader(io.StringIO(r.text))}
    treated = rows[("outcomes", "treated_and_released_on_site")]
    assert (treated["count"], treated["share"], treated["denominator"]) == ("23", "0.2035", "113")


def test_the_html_summary_says_23_of_113_and_draws_the_month_over_month_line(program: Program) -> None:
    r = program.get("supervisor", "html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert HEADLINE in r.text
    assert "Month over month" in r.text  # October had team calls
    assert r.text.count("data:image/png;base64,") == 4
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "program-report.html").write_text(r.text, encoding="utf-8")


def test_the_pdf_is_two_pages_that_say_23_of_113_rendered_to_images(program: Program) -> None:
    pypdf = pytest.importorskip("pypdf")
    r = program.get("supervisor", "pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(r.content))
    assert len(reader.pages) == 2
    text = " ".join(page.extract_text() for page in reader.pages)
    assert HEADLINE in text and "Month over month" in text
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "program-report.pdf"
    pdf.write_bytes(r.content)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is needed to render the PDF to images")
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(pdf), str(ARTIFACTS / "program-report-page")], check=True)
    pages = sorted(ARTIFACTS.glob("program-report-page-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 20_000 for p in pages)


def test_an_analyst_gets_small_cells_suppressed_and_the_headline_kept(program: Program) -> None:
    report = program.get("analyst").json()
    assert report["outcomes"]["treated_and_released_on_site"]["count"] == 23
    october = program.get("analyst", start=OCTOBER, end=NOVEMBER).json()
    for answer in (report, october):  # suppressed cells still fit the OpenAPI's model
        ProgramReport.model_validate(answer)
    assert '"suppressed": true' in json.dumps(october), "October's small cells are suppressed"
    assert october["outcomes"]["voluntary_transport"]["count"] == 0  # zero is not a small cell
    assert october["outcomes"]["treated_and_released_on_site"]["count"] == 12
    r = program.get("analyst", "csv", start=OCTOBER, end=NOVEMBER)
    assert r.status_code == 200


def test_other_roles_and_bad_requests_get_a_readable_4xx(program: Program) -> None:
    assert program.get("dispatcher").status_code == 403
    assert program.get("police_liaison").status_code == 403
    bad = program.get("supervisor", "docx")
    assert bad.status_code == 422 and "format" in bad.text
    backwards = program.get("supervisor", start=DECEMBER, end=NOVEMBER)
    assert backwards.status_code in (400, 422) and "end after it starts" in backwards.text


def test_the_cli_reports_the_same_month_from_the_database_in_every_format(program: Program, tmp_path: Path) -> None:
    import json
    import sys

    cli = [
        sys.executable,
        "-m",
        "crisis_dispatch",
        "report",
        "--db",
        str(program.db),
        "--start",
        "2026-11-01",
        "--end",
        "2026-12-01",
    ]
    done = subprocess.run([*cli, "--format", "json"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["outcomes"]["treated_and_released_on_site"] == {"count": 23, "share": 0.2035, "denominator": 113}
    assert report["window"]["start"] == NOVEMBER.isoformat()
    out = tmp_path / "november.pdf"
    done = subprocess.run([*cli, "--format", "pdf", "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"to {out}" in done.stdout
    assert out.read_bytes().startswith(b"%PDF")
    pypdf = pytest.importorskip("pypdf")
    assert HEADLINE in " ".join(p.extract_text() for p in pypdf.PdfReader(out).pages)


def test_the_cli_refuses_bad_input_with_one_line(program: Program, tmp_path: Path) -> None:
    import sys

    from tests.cli.helpers import assert_one_error_line

    cli = [sys.executable, "-m", "crisis_dispatch", "report", "--db", str(program.db)]
    run = lambda *a: subprocess.run([*cli, *a], capture_output=True, text=True, timeout=120)  # noqa: E731
    assert_one_error_line(run("--start", "November", "--end", "2026-12-01"), "--start", "ISO 8601")
    assert_one_error_line(run("--start", "2026-11-01", "--end", "2026-12-01", "--format", "docx"), "unknown format 'docx'")
    assert_one_error_line(run("--start", "2026-12-01", "--end", "2026-11-01"), "end after it starts")
    assert_one_error_line(
        subprocess.run(
            [
                sys.executable,
                "-m",
                "crisis_dispatch",
                "report",
                "--db",
                str(tmp_path / "none.sqlite3"),
                "--start",
                "2026-11-01",
                "--end",
                "2026-12-01",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        ),
        "no database",
    )
