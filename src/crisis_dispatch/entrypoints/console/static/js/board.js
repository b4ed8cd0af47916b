// The read-only board of police liaisons, analysts and court liaisons. It shows exactly
// the fields the API returned for this role (its read model, services/read_models.py):
// columns for absent fields are never drawn.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const role = document.body.dataset.role;
  const mapView = CD.makeMap("map", { onStations: () => loadUnits() });
  let units = [];
  const COLUMNS = [
    ["id", "Incident", (i) => i.id],
    ["status", "Status", (i) => CD.label(i.status)],
    ["tier", "Tier", (i) => CD.label(i.tier) || "—"],
    ["priority", "Priority", (i) => i.priority ?? "—"],
    ["address", "Where", (i) => CD.place(i)],
    ["location", "Location", (i) => (i.location ? CD.place({ location: i.location }) : "—")],
    ["area", "Area (about 1 km)", (i) => (CD.placed(i.area) ? CD.place({ location: i.area }, 2) : "—")],
    ["unit_id", "Van", (i) => { const u = units.find((x) => x.id === i.unit_id); return u ? u.call_sign : i.unit_id || "—"; }],
    ["safety_flags", "Safety flags", (i) => (i.safety_flags || []).map((f) => CD.label(f.name)).join(", ") || "none reported"],
    ["outcome", "Outcome", (i) => (i.outcome ? CD.label(i.outcome.disposition) : "—")],
    ["timestamps", "Received", (i) => CD.fmtDateTime(i.timestamps && i.timestamps.received_at)],
  ];
  async function loadUnits() {
    try { units = await CD.api("/units"); mapView.setUnits(units); } catch (e) { units = []; }
  }
  async function load() {
    const path = role === "court_liaison" ? "/incidents?limit=500" : "/incidents?open=true&limit=500";
    const list = await CD.api(path);
    await loadUnits();
    const present = new Set(list.flatMap((i) => Object.keys(i)));
    // "address" already shows the place; show "location" only when the address is withheld.
    const cols = COLUMNS.filter(([k]) => present.has(k) && !(k === "location" && present.has("address")));
    $("board-head").innerHTML = `<tr>${cols.map(([, h]) => `<th scope="col">${CD.esc(h)}</th>`).join("")}</tr>`;
    $("board-body").innerHTML = list.length ? list.map((i) => `<tr data-id="${CD.esc(i.id)}">${cols.map(([k, , f]) => `<td data-field="${k}">${CD.esc(f(i))}</td>`).join("")}</tr>`).join("")
      : `<tr><td class="muted" colspan="${cols.length || 1}">Nothing to show.</td></tr>`;
    mapView.setIncidents(list, null, null);
  }
  const loadSoon = CD.throttle(() => load().catch(() => {}), 1000);
  load().catch(() => {});
  CD.connect({ hello: () => loadSoon(), status: () => loadSoon() });
})();
