"""Screenshots of the console for docs/console.md, from a real demo floor.

Starts `crisis-dispatch demo` on a scratch database at --speed 60, lets the feed run for a
while, then logs in through the real pages with Debian's Chromium (Playwright) and saves:
the dispatcher console on a busy floor (1440x900), the crew phone (390x844) on scene, with
the hold form open and while transporting, and the police board.

    .venv/bin/python tools/screenshots.py [--out docs/screenshots] [--warmup 60]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[1]
CLI = [str(REPO / ".venv" / "bin" / "crisis-dispatch")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", username + "-demo-pass")
    page.click("button[type=submit]")
    page.wait_for_selector("#live[data-state=on]")


def api(base: str, token: str, method: str, path: str, body: dict | None = None) -> dict:  # type: ignore[type-arg]
    r = httpx.request(method, base + "/api/v1" + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10)
    r.raise_for_status()
    return r.json()  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    parser.add_argument("--warmup", type=float, default=60.0, help="real seconds the feed runs first")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("CRISIS_DISPATCH_") and k != "DATABASE_URL"}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        proc = subprocess.Popen([*CLI, "demo", "--port", str(port), "--db", str(db), "--speed", "60"], env=env)
        try:
            for _ in range(120):
                try:
                    if httpx.get(base + "/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.5)
            time.sleep(args.warmup)
            token = httpx.post(
                base + "/api/v1/auth/login", json={"username": "dispatcher", "password": "dispatcher-demo-pass"}, timeout=10
            ).json()["access_token"]
            # A call for the crew login's van (TTP-1), worked to the scene.
            call = {"lat": 34.0488, "lon": -118.239, "address": "Temple St & Alameda St", "call_type": "EDP",
                    "narrative": "Man pacing and shouting at traffic, says the radio talks to him, no weapons",
                    "subject_age": 41, "answers": {"weapon": "no", "violence": "no"}}  # fmt: skip
            incident = api(base, token, "POST", "/calls", call)["id"]
            api(base, token, "POST", f"/incidents/{incident}/assign", {"unit_id": "unit-ttp-1"})
            api(base, token, "POST", f"/incidents/{incident}/status", {"status": "on_scene"})
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
                desk = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                login(desk, base, "dispatcher")
                desk.click(f"[data-select='{incident}']")
                desk.wait_for_timeout(1500)
                desk.screenshot(path=str(args.out / "console-busy-floor.png"))
                phone_size = {"width": 390, "height": 844}
                phone = browser.new_context(viewport=phone_size, device_scale_factor=2, is_mobile=True).new_page()
                login(phone, base, "crew")
                phone.wait_for_selector("#outcome-card:not([hidden])")
                phone.screenshot(path=str(args.out / "crew-on-scene.png"), full_page=True)
                phone.select_option("#o-disposition", "involuntary_hold")
                phone.wait_for_timeout(300)
                phone.locator("#outcome-card").screenshot(path=str(args.out / "crew-hold-form.png"))
                phone.select_option("#o-disposition", "voluntary_transport")
                phone.select_option("#o-dest-type", "psychiatric_urgent_care")
                phone.select_option("#o-dest-facility", index=1)
                phone.click("#outcome-submit")
                phone.wait_for_selector("#outcome-card[hidden]", state="attached")
                phone.click("[data-status=transporting]")
                phone.wait_for_selector("#asg-destination")
                phone.screenshot(path=str(args.out / "crew-transporting.png"), full_page=True)
                board = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
                login(board, base, "police")
                board.wait_for_timeout(1500)
                board.screenshot(path=str(args.out / "police-board.png"))
                browser.close()
        finally:
            proc.terminate()
            proc.wait(20)
    for name in sorted(args.out.glob("*.png")):
        print(name.relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
