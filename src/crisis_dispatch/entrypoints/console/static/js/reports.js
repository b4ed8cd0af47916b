// The program report page: this month and last, side by side, from GET /api/v1/reports/program
// (the same figures as the JSON, CSV, HTML and PDF of the report; small cells come suppressed).
"use strict";
(function () {
  const table = document.getElementById("report-table");
  const body = document.getElementById("report-body");
  const months = JSON.parse(table.dataset.months);
  const share = (c) => {
    if (!c) return "—";
    if (c.count === null) return `fewer than 11 of ${c.denominator}`;
    if (!c.denominator) return `${c.count} of 0`;
    return `${c.count} of ${c.denominator} (${((100 * c.count) / c.denominator).toFixed(1)} %)`;
  };
  const minutes = (v) => (v === null || v === undefined ? "not met" : `${Math.round(v)} min`);
  const number = (v, unit = "") => (v === null || v === undefined ? "fewer than 11" : `${Math.round(v)}${unit}`);
  const ROWS = [
    ["team_calls", "Team calls (sent to a crisis team)", (r) => number(r.team_calls)],
    ["treated", "Treated and released on site", (r) => share(r.outcomes.treated_and_released_on_site)],
    ["within_clock", "Reached within the clock (60 min urban, 120 rural)", (r) => share(r.response_times.within_clock)],
    ["response", "Response time, median / 90th percentile", (r) => (r.response_times.n === 0 ? "no team calls" : r.response_times.suppressed ? "fewer than 11 calls" : `${minutes(r.response_times.p50)} / ${minutes(r.response_times.p90)}`)],
    ["holds", "Involuntary holds placed", (r) => share(r.holds.placed)],
    ["holds_avoided", "Holds avoided (served without detention)", (r) => share(r.holds.avoided)],
    ["transported", "Transported", (r) => share(r.transports.total)],
    ["screened_out", "Screened out by triage (of all calls)", (r) => share(r.screened_out.screened_out)],
    ["not_triaged", "Not triaged: too little information (of all calls)", (r) => share(r.screened_out.by_reason.not_triaged) === "—" ? "0" : share(r.screened_out.by_reason.not_triaged)],
    ["fell_back", "Handed to police/EMS while waiting", (r) => share(r.screened_out.eligible_not_reached.fell_back_to_police_or_ems)],
    ["backup", "Backup requested on scene", (r) => share(r.impact.backup_requests)],
    ["ed_avoided", "ED visits avoided (estimate)", (r) => number(r.impact.ed_visits_avoided.value)],
    ["police_hours", "Police hours freed (estimate)", (r) => number(r.impact.police_hours_freed.value, " h")],
  ];
  async function load() {
    const q = (m) => `/reports/program?start=${encodeURIComponent(m.start)}&end=${encodeURIComponent(m.end)}&format=json`;
    try {
      const reports = await Promise.all(months.map((m) => CD.api(q(m))));
      body.innerHTML = ROWS.map(([key, name, cell]) =>
        `<tr data-figure="${key}"><th scope="row">${CD.esc(name)}</th>${reports.map((r) => `<td>${CD.esc(cell(r))}</td>`).join("")}</tr>`
      ).join("");
      table.dataset.state = "loaded";
    } catch (e) {
      const err = document.getElementById("report-error");
      err.textContent = `The report could not be loaded: ${e.detail || e.message}`;
      err.hidden = false;
      body.innerHTML = "";
    }
  }
  load();
})();
