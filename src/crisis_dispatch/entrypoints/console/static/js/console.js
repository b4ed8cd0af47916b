// The dispatcher console: queue with clocks, new-call form with live triage,
// recommended vans with one-click assign, unit board, alerts; live over SSE.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const CAN_ASSIGN = !!$("recs");  // call-takers take calls; dispatchers assign vans
  const S = {
    incidents: new Map(), units: [], queueInfo: null, queueRoute: true, recsRoute: true, alertsRoute: true,
    selectedId: null, checkins: [], escalations: [], sort: { key: "priority", dir: 1 },
  };
  const WAITING = new Set(["received", "triaged", "queued"]);
  const TERMINAL = new Set(["closed", "cancelled"]);
  // PROVISIONAL: until GET /api/v1/queue answers, the clock runs 60 minutes (the urban
  // Medi-Cal budget) from triage for every call; rural 120-minute budgets are not applied.
  const FALLBACK_BUDGET_MIN = 60;
  const AMBER = 0.5, RED = 0.75;

  const mapView = CD.makeMap("map", { onClick: placeCall, onStations: () => { renderMapUnits(); renderUnits(); } });

  // ------------------------------------------------------------------ clocks
  function clockOf(inc) {
    const q = S.queueInfo && S.queueInfo.get(inc.id);
    let started, budgetMin, provisional = false;
    if (q && q.clock) { started = Date.parse(q.clock.started_at); budgetMin = q.clock.budget_minutes; }
    else {
      if (!(inc.tier || "").startsWith("MH_TEAM") || !inc.timestamps || !inc.timestamps.triaged_at) return null;
      started = Date.parse(inc.timestamps.triaged_at); budgetMin = FALLBACK_BUDGET_MIN; provisional = true;
    }
    const budget = budgetMin * 60000;
    const onScene = inc.timestamps && inc.timestamps.on_scene_at;
    if (onScene) {
      const el = Date.parse(onScene) - started;
      return { state: el <= budget ? "met" : "late", elapsed: el, remaining: budget - el, provisional, stopped: true };
    }
    const elapsed = CD.now() - started, f = elapsed / budget;
    const state = f >= 1 ? "breached" : f >= RED ? "red" : f >= AMBER ? "amber" : "ok";
    return { state, elapsed, remaining: budget - elapsed, provisional, stopped: false };
  }
  function clockText(c) {
    if (!c) return "—";
    if (c.stopped) return `${c.state} (${CD.fmtDur(c.elapsed)})`;
    return c.remaining >= 0 ? `${c.state} · ${CD.fmtDur(c.remaining)} left` : `${c.state} · ${CD.fmtDur(-c.remaining)} over`;
  }
  const CLOCK_RANK = { breached: 0, red: 1, amber: 2, ok: 3, late: 4, met: 5 };

  // ------------------------------------------------------------------ loading
  async function optional(path, flag) {
    if (!S[flag]) return null;
    // A route not deployed yet, or not open to this role, is not asked again.
    try { return await CD.api(path); } catch (e) { if (e.missingRoute || e.status === 403) S[flag] = false; return null; }
  }
  async function refresh() {
    const [list, units, queue, alerts] = await Promise.all([
      CD.api("/incidents?open=true&limit=500"), CD.api("/units"), optional("/queue", "queueRoute"), optional("/alerts", "alertsRoute"),
    ]);
    S.incidents = new Map(list.map((i) => [i.id, i]));
    S.units = units;
    S.queueInfo = queue ? new Map(queue.map((q) => [q.id, q])) : null;
    if (alerts) S.escalations = alerts;
    $("clock-note").textContent = S.queueInfo
      ? "Clocks from the queue service: 60 min urban / 120 min rural from triage."
      : "Provisional clocks: 60 min from triage for every call (rural budgets apply once the queue service is available).";
    renderFilters(); renderQueue(); renderUnits(); renderAlerts(); renderMapUnits();
    if (S.selectedId && !S.incidents.has(S.selectedId)) { /* closed elsewhere: keep the detail, refresh it */ }
    if (S.selectedId) loadDetail(S.selectedId, false);
  }
  const refreshSoon = CD.debounce(() => refresh().catch(showError), 250);

  // Live changes are applied incrementally: only the incidents that changed are read
  // again (every read is audited), the vans and the queue at most a few times a second.
  const pending = { incidents: new Set(), units: false, queue: false };
  let flushTimer = null, flushing = false;
  function schedule() { if (!flushTimer) flushTimer = setTimeout(flush, 400); }
  async function flush() {
    flushTimer = null;
    if (flushing) { schedule(); return; }
    flushing = true;
    const ids = [...pending.incidents], units = pending.units, queue = pending.queue;
    pending.incidents.clear(); pending.units = pending.queue = false;
    try {
      const [views, unitList, q, alerts] = await Promise.all([
        Promise.all(ids.map((id) => CD.api(`/incidents/${encodeURIComponent(id)}`).catch(() => null))),
        units ? CD.api("/units") : null,
        queue ? optional("/queue", "queueRoute") : null,
        queue ? optional("/alerts", "alertsRoute") : null,
      ]);
      views.forEach((v, n) => { if (v && !TERMINAL.has(v.status)) S.incidents.set(v.id, v); else S.incidents.delete(ids[n]); });
      if (unitList) { S.units = unitList; renderUnits(); renderMapUnits(); }
      if (q) S.queueInfo = new Map(q.map((x) => [x.id, x]));
      if (alerts) S.escalations = alerts;
      renderFilters(); renderQueue(); renderAlerts();
      if (S.selectedId && (ids.includes(S.selectedId) || unitList)) loadDetail(S.selectedId, false);
    } catch (e) { showError(e); } finally { flushing = false; }
  }
  function onStatus(ev) {
    if (ev.subject === "incident") { pending.incidents.add(ev.subject_id); pending.queue = true; }
    if (ev.subject === "unit" || ev.unit_id) pending.units = true;
    schedule();
  }

  // ------------------------------------------------------------------ queue table
  function filtered() {
    const mode = $("queue-filter-status").value, tier = $("queue-filter-tier").value, text = $("queue-filter-text").value.trim().toLowerCase();
    return [...S.incidents.values()].filter((i) => {
      if (TERMINAL.has(i.status)) return false;
      if (mode === "waiting" && !WAITING.has(i.status)) return false;
      if (mode === "active" && WAITING.has(i.status)) return false;
      if (tier && i.tier !== tier) return false;
      if (text) {
        const hay = [i.id, i.address, i.tier, i.status, i.determinant, unitSign(i.unit_id)].join(" ").toLowerCase();
        if (!hay.includes(text)) return false;
      }
      return true;
    });
  }
  // Issue 10: the team would go alone on text only until someone asks the safety questions.
  function unconfirmed(inc) { return !!inc.triage && inc.triage.confirmed === false; }
  function unitSign(id) { const u = S.units.find((x) => x.id === id); return u ? u.call_sign : id || ""; }
  function sortKey(i, key) {
    switch (key) {
      case "clock": { const c = clockOf(i); return c ? CLOCK_RANK[c.state] * 1e9 + c.remaining / 1000 : 9e9; }
      case "priority": return (i.priority ?? 99) * 1e13 + Date.parse(i.timestamps.received_at || 0) / 1000 + (i.seq || 0) / 1e6;
      case "age": return -Date.parse(i.timestamps.received_at || 0);
      case "unit": return unitSign(i.unit_id);
      default: return i[key] || "";
    }
  }
  function renderFilters() {
    const sel = $("queue-filter-tier"), current = sel.value;
    const tiers = [...new Set([...S.incidents.values()].map((i) => i.tier).filter(Boolean))].sort();
    sel.innerHTML = `<option value="">Any</option>` + tiers.map((t) => `<option value="${CD.esc(t)}">${CD.esc(t)}</option>`).join("");
    sel.value = tiers.includes(current) ? current : "";
  }
  function renderQueue() {
    const rows = filtered();
    const { key, dir } = S.sort;
    rows.sort((a, b) => { const x = sortKey(a, key), y = sortKey(b, key); return (x < y ? -1 : x > y ? 1 : 0) * dir; });
    document.querySelectorAll("#queue-table th[data-sort]").forEach((th) => th.setAttribute("aria-sort", th.dataset.sort === key ? (dir > 0 ? "ascending" : "descending") : "none"));
    const body = $("queue-body");
    const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.dataset.select : null;
    $("queue-count").textContent = `${rows.length} shown`;
    if (!rows.length) { body.innerHTML = `<tr><td colspan="8" class="muted">No incidents match.</td></tr>`; }
    else body.innerHTML = rows.map((i) => {
      const c = clockOf(i);
      return `<tr data-id="${CD.esc(i.id)}" class="clock-${c ? c.state : "none"}${i.id === S.selectedId ? " selected" : ""}">
        <td class="clock"><span class="badge clock-${c ? c.state : "none"}">${CD.esc(clockText(c))}</span>${c && c.provisional ? '<span class="sr-only"> (provisional clock)</span>' : ""}</td>
        <td class="inc"><button type="button" class="link" data-select="${CD.esc(i.id)}">${CD.esc(i.id)}</button></td>
        <td class="tier">${CD.esc(CD.label(i.tier) || "—")}${unconfirmed(i) ? ' <span class="badge unconfirmed">unconfirmed</span>' : ""}</td><td>${CD.esc(i.priority ?? "—")}</td>
        <td><span class="badge st-${CD.esc(i.status)}">${CD.esc(CD.label(i.status))}</span></td>
        <td class="age" data-received="${CD.esc(i.timestamps.received_at)}">${CD.fmtDur(CD.now() - Date.parse(i.timestamps.received_at))}</td>
        <td class="sign">${CD.esc(unitSign(i.unit_id) || "—")}</td><td class="where">${CD.where(i)}</td></tr>`;
    }).join("");
    if (focused) { const again = body.querySelector(`[data-select="${CSS.escape(focused)}"]`); if (again) again.focus(); }
    mapView.setIncidents(rows.map((i) => Object.assign({}, i, { _clock: (clockOf(i) || {}).state })), S.selectedId, select);
  }
  function tickQueue() {
    document.querySelectorAll("#queue-body tr[data-id]").forEach((tr) => {
      const inc = S.incidents.get(tr.dataset.id); if (!inc) return;
      const c = clockOf(inc);
      const cls = `clock-${c ? c.state : "none"}`;
      tr.className = cls + (inc.id === S.selectedId ? " selected" : "");
      const badge = tr.querySelector("td.clock .badge"); badge.className = "badge " + cls; badge.textContent = clockText(c);
      const age = tr.querySelector("td.age"); age.textContent = CD.fmtDur(CD.now() - Date.parse(age.dataset.received));
    });
    document.querySelectorAll("#units-body td.since").forEach((td) => { td.textContent = td.dataset.since ? CD.fmtDur(CD.now() - Date.parse(td.dataset.since)) : "—"; });
    renderCheckinAlertsTimes();
  }
  document.querySelectorAll("#queue-table th[data-sort] button").forEach((b) => b.addEventListener("click", () => {
    const key = b.parentElement.dataset.sort;
    S.sort = { key, dir: S.sort.key === key ? -S.sort.dir : 1 };
    renderQueue();
  }));
  ["queue-filter-status", "queue-filter-tier"].forEach((id) => $(id).addEventListener("change", renderQueue));
  $("queue-filter-text").addEventListener("input", CD.debounce(renderQueue, 150));
  $("queue-body").addEventListener("click", (e) => { const b = e.target.closest("[data-select]"); if (b) select(b.dataset.select); });

  // ------------------------------------------------------------------ unit board
  const ROLE_SHORT = { clinical_driver: "Driver", psychiatric_technician: "Psych tech", peer_support_specialist: "Peer" };
  const ROLE_ORDER = Object.keys(ROLE_SHORT);
  function renderUnits() {
    $("units-body").innerHTML = S.units.map((u) => {
      const crew = Object.entries(u.crew || {}).sort((a, b) => ROLE_ORDER.indexOf(a[0]) - ROLE_ORDER.indexOf(b[0])).map(([role, c]) => `<span class="crew"><span class="role">${CD.esc(ROLE_SHORT[role] || role)}:</span> ${CD.esc(c.name || "on shift")}</span>`).join("");
      // Why a van cannot be sent, except the obvious "it is busy".
      const why = (u.not_dispatchable_because || []).filter((r) => !/^it is /.test(r));
      const missing = why.length ? `<div class="warn small">${CD.esc(why.join("; "))}</div>` : "";
      const inc = u.incident_id ? ` <button type="button" class="link small" data-select="${CD.esc(u.incident_id)}">${CD.esc(u.incident_id)}</button>` : "";
      const station = mapView.stationsById[u.station_id];
      const home = station ? `<div class="small muted" title="${CD.esc(u.station_id)}">${CD.esc(station.name)}</div>` : "";
      return `<tr data-unit="${CD.esc(u.id)}"><th scope="row">${CD.esc(u.call_sign)}${home}</th>
        <td><span class="badge st-${CD.esc(u.status)}">${CD.esc(CD.label(u.status))}</span>${inc}</td>
        <td class="since" data-since="${CD.esc(u.status_since || "")}">${u.status_since ? CD.fmtDur(CD.now() - Date.parse(u.status_since)) : "—"}</td>
        <td>${crew || '<span class="warn">no crew on shift</span>'}${missing}</td></tr>`;
    }).join("");
  }
  $("units-body").addEventListener("click", (e) => { const b = e.target.closest("[data-select]"); if (b) select(b.dataset.select); });
  function renderMapUnits() { mapView.setUnits(S.units); }

  // ------------------------------------------------------------------ selected incident and assign
  function select(id) {
    S.selectedId = id;
    renderQueue();
    loadDetail(id, true);
  }
  async function loadDetail(id, clearMsg) {
    if (clearMsg) { $("assign-msg").textContent = ""; $("assign-msg").className = "msg"; }
    let inc;
    try { inc = await CD.api(`/incidents/${encodeURIComponent(id)}`); } catch (e) { $("incident-detail").innerHTML = `<p class="error">${CD.esc(e.detail)}</p>`; return; }
    if (S.selectedId !== id) return;
    S.incidents.set(id, Object.assign(S.incidents.get(id) || {}, inc));
    const t = inc.triage || {};
    const call = (inc.calls || [])[0] || {};
    const c = clockOf(inc);
    $("incident-detail").innerHTML = `
      <p class="inc-head"><strong>${CD.esc(inc.id)}</strong> <span class="badge st-${CD.esc(inc.status)}">${CD.esc(CD.label(inc.status))}</span>
        <span class="badge clock-${c ? c.state : "none"}">${CD.esc(clockText(c))}</span></p>
      <dl class="facts">
        <dt>Tier</dt><dd>${CD.esc(inc.tier || "—")} · priority ${CD.esc(inc.priority ?? "—")} · ${CD.esc(inc.determinant || "")}</dd>
        <dt>Where</dt><dd id="incident-where">${CD.where(inc)}${inc.outside_service_area ? ` <span class="badge unconfirmed">outside the service area</span>` : ""}</dd>
        <dt>Received</dt><dd>${CD.esc(CD.fmtDateTime(inc.timestamps.received_at))}</dd>
        ${call.call_type || call.narrative ? `<dt>Call</dt><dd>${CD.esc(call.call_type || "")} ${CD.esc(call.narrative || "")}</dd>` : ""}
        ${inc.subject_description ? `<dt>Person</dt><dd>${CD.esc(inc.subject_description)}</dd>` : ""}
        <dt>Van</dt><dd>${CD.esc(unitSign(inc.unit_id) || "none yet")}</dd>
        ${holdTransportFacts(inc.hold_transport)}
        ${confirmationFact(t)}
      </dl>
      ${(t.reasons || []).length ? `<details open><summary>Triage reasons</summary><ul class="reasons">${t.reasons.map((r) => `<li>${CD.esc(r)}</li>`).join("")}</ul></details>` : ""}
      ${CAN_ASSIGN && !CD.placed(inc.location) && !TERMINAL.has(inc.status) ? placeForm(inc) : ""}
      ${(inc.history || []).length ? `<details><summary>Timeline</summary><ol class="timeline">${inc.history.map((h) => `<li>${CD.esc(CD.fmtTime(h.at))} ${CD.esc(h.subject)} ${CD.esc(CD.label(h.from || ""))} → ${CD.esc(CD.label(h.to))} <span class="muted">${CD.esc(h.by)}${h.reason ? " · " + CD.esc(h.reason) : ""}</span></li>`).join("")}</ol></details>` : ""}`;
    showConfirm(inc);
    document.dispatchEvent(new CustomEvent("cd:incident-shown", { detail: { id: inc.id, person_id: inc.person_id } }));
    if (!CAN_ASSIGN) return;
    if (WAITING.has(inc.status)) loadRecommendations(inc); else { $("recs").innerHTML = ""; $("recs-note").textContent = inc.unit_id ? `${unitSign(inc.unit_id)} is on this incident.` : "No van needed."; }
  }
  // ------------------------------------------------------------------ placing an incident the CAD could not locate (issue 13)
  function placeForm(inc) {
    return `<form id="place-form" class="place-form" data-incident="${CD.esc(inc.id)}" novalidate>
      <p class="warn"><strong>Location to confirm:</strong> the CAD sent an address we could not place, so no van is recommended.
        Find it, then give its latitude and longitude (or click the map).</p>
      <label for="place-lat">Latitude</label> <input id="place-lat" name="lat" inputmode="decimal" size="10">
      <label for="place-lon">Longitude</label> <input id="place-lon" name="lon" inputmode="decimal" size="11">
      <button type="submit" id="place-submit">Confirm location</button>
      <p id="place-msg" class="msg" role="status"></p></form>`;
  }
  if (CAN_ASSIGN) $("incident-detail").addEventListener("submit", async (e) => {
    const f = e.target.closest("#place-form"); if (!f) return;
    e.preventDefault();
    const id = f.dataset.incident, msg = $("place-msg");
    const lat = parseFloat(f.elements.lat.value), lon = parseFloat(f.elements.lon.value);
    if (isNaN(lat) || isNaN(lon)) { msg.className = "msg error"; msg.textContent = "Give the latitude and longitude (or click the map)."; f.elements.lat.focus(); return; }
    try {
      await CD.api(`/incidents/${encodeURIComponent(id)}/location`, { method: "POST", body: { lat, lon } });
      $("assign-msg").className = "msg ok"; $("assign-msg").textContent = `Location of ${id} confirmed.`;
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not placed: ${err.detail}`; return; }
    await refresh().catch(showError);
    loadDetail(id, false);
  });

  // A hold written by others that a van carries out (issue 14): writer, time left, destination.
  function holdTransportFacts(ht) {
    if (!ht) return "";
    const w = ht.writer;
    const left = ht.expired ? `<span class="badge unconfirmed">expired</span>` : `${CD.esc(CD.fmtDur(ht.minutes_left * 60000))} left`;
    return `<dt>Hold</dt><dd id="incident-hold">WIC ${CD.esc(ht.hold_type)} by ${CD.esc(w.name)} (${CD.esc(CD.label(w.kind))}, ${CD.esc(w.agency)}, #${CD.esc(w.credential)}) · ${left}</dd>
      <dt>To</dt><dd>${CD.esc(ht.destination.name)}${ht.verification ? " · application verified" : ""}${ht.handover ? ` · handed over to ${CD.esc(ht.handover.received_by)}` : ""}</dd>`;
  }
  document.addEventListener("cd:incident-created", async (e) => { await refresh().catch(showError); select(e.detail); });
  // ------------------------------------------------------------------ confirming a text-only triage (issue 10)
  const confirmForm = $("confirm-form");  // only for roles that may confirm
  function confirmationFact(t) {
    if (t.confirmed === false) return `<dt>Triage</dt><dd id="triage-confirmation"><span class="badge unconfirmed">Unconfirmed — text only</span></dd>`;
    if (t.confirmed_by) return `<dt>Triage</dt><dd id="triage-confirmation"><span class="badge confirmed">Confirmed</span> by ${CD.esc(t.confirmed_by)} at ${CD.esc(CD.fmtTime(t.confirmed_at))}</dd>`;
    return "";
  }
  function showConfirm(inc) {
    if (!confirmForm) return;
    if (confirmForm.dataset.incident !== inc.id) {
      // Another incident: no answer carried over, none pre-selected.
      confirmForm.reset(); confirmForm.dataset.incident = inc.id; $("confirm-msg").textContent = ""; $("confirm-msg").className = "msg";
    }
    confirmForm.hidden = !(unconfirmed(inc) && !TERMINAL.has(inc.status));
  }
  if (confirmForm) confirmForm.addEventListener("change", () => {
    // A refusal ("answer all three") goes once the call-taker answers again.
    if ($("confirm-msg").classList.contains("error")) { $("confirm-msg").textContent = ""; $("confirm-msg").className = "msg"; }
  });
  if (confirmForm) confirmForm.addEventListener("submit", async (e) => {
    e.preventDefault();
    const id = confirmForm.dataset.incident, msg = $("confirm-msg"), answers = {};
    let missing = null;
    confirmForm.querySelectorAll("[data-confirm-question]").forEach((q) => {
      const r = q.querySelector("input:checked");
      if (r) answers[q.dataset.confirmQuestion] = r.value; else if (!missing) missing = q;
    });
    if (missing) {
      msg.className = "msg error"; msg.textContent = "Not confirmed: answer all three questions (weapon, violence, awake and breathing).";
      missing.querySelector("input").focus(); return;
    }
    $("confirm-submit").disabled = true;
    try {
      const inc = await CD.api(`/incidents/${encodeURIComponent(id)}/confirm-triage`, { method: "POST", body: { answers } });
      const t = inc.triage || {};
      msg.className = "msg ok";
      msg.textContent = `Triage confirmed by ${t.confirmed_by}: ${inc.tier}` +
        (TERMINAL.has(inc.status) ? ` — ${CD.label(inc.status)}, not for the crisis team (${CD.label(inc.screened_out_reason || "")}).` : ".");
      confirmForm.hidden = true;
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not confirmed: ${err.detail}`; }
    finally { $("confirm-submit").disabled = false; }
    await refresh().catch(showError);
  });

  async function loadRecommendations(inc) {
    let ranked = null, excluded = [], note = "", warning = "", outside = false;
    const toConfirm = !CD.placed(inc.location);
    if (S.recsRoute) {
      try {
        const r = await CD.api(`/incidents/${encodeURIComponent(inc.id)}/recommendations?k=5`);
        // A straight-line estimate is labelled as one; a call outside the area says so first.
        const straight = r.eta_source !== "provider";
        ranked = r.ranked.map((x) => ({ unit_id: x.unit_id, call_sign: x.call_sign, eta_s: x.eta_s, crew: x.crew, straight }));
        excluded = r.excluded || [];
        outside = !!r.outside_service_area;
        warning = r.warning || "";
        note = toConfirm ? "" : straight ? "Nearest first by a straight-line estimate (not driving times)." : "Fastest first (travel-time model).";
      } catch (e) {
        if (e.missingRoute) S.recsRoute = false; else note = `Recommendations unavailable (${e.detail}); `;
      }
    }
    if (ranked === null) {
      // Until recommendations are available: dispatchable vans, nearest first in a straight line.
      ranked = S.units.filter((u) => u.dispatchable && u.status === "available").map((u) => {
        const p = mapView.unitPosition(u);
        return { unit_id: u.id, call_sign: u.call_sign, km: p ? CD.km({ lat: p[0], lon: p[1] }, inc.location) : null };
      }).sort((a, b) => (a.km ?? 1e9) - (b.km ?? 1e9));
      note += "Dispatchable vans, nearest first by straight-line distance (no ETA yet).";
    }
    if (S.selectedId !== inc.id) return;
    $("recs-note").textContent = note;
    $("recs-note").classList.toggle("warn", !!warning);
    const heading = toConfirm ? "Location to confirm" : outside ? "Outside the service area" : "Straight-line estimate";
    if (warning) $("recs-note").insertAdjacentHTML("afterbegin", `<strong class="outside-area">${heading}:</strong> ${CD.esc(warning)}. `);
    $("recs").innerHTML = ranked.length ? ranked.map((r, n) => `<li>
        <span class="rec-main"><strong>${CD.esc(r.call_sign)}</strong>
        ${r.eta_s != null ? (r.straight ? `about ${CD.esc(Math.round(r.eta_s / 60))} min <span class="small">(straight-line estimate)</span>` : `ETA ${CD.esc(Math.round(r.eta_s / 60))} min`) : r.km != null ? `${r.km.toFixed(1)} km away` : ""}</span>
        <button type="button" class="${n === 0 && !outside ? "primary" : ""}" data-assign="${CD.esc(r.unit_id)}" data-sign="${CD.esc(r.call_sign)}">Assign ${CD.esc(r.call_sign)}${outside ? " (outside the area)" : ""}</button></li>`).join("")
      : `<li class="muted">${toConfirm ? "No van is recommended until the location is confirmed." : "No van is free, staffed and fit for this call."}</li>`;
    if (excluded.length) $("recs").insertAdjacentHTML("beforeend", `<li class="excluded"><details><summary>Not recommended (${excluded.length})</summary><ul>${excluded.map((x) => `<li>${CD.esc(x.call_sign)}: ${CD.esc((x.reasons || []).join("; "))}</li>`).join("")}</ul></details></li>`);
  }
  if (CAN_ASSIGN) $("recs").addEventListener("click", async (e) => {
    const b = e.target.closest("[data-assign]"); if (!b || !S.selectedId) return;
    const id = S.selectedId, msg = $("assign-msg");
    b.disabled = true;
    try {
      await CD.api(`/incidents/${encodeURIComponent(id)}/assign`, { method: "POST", body: { unit_id: b.dataset.assign } });
      msg.className = "msg ok"; msg.textContent = `${b.dataset.sign} dispatched to ${id}.`;
    } catch (err) {
      msg.className = "msg error";
      msg.textContent = err.status === 409 ? `Not assigned — someone else got there first: ${err.detail}` : `Not assigned: ${err.detail}`;
    } finally { b.disabled = false; }
    await refresh().catch(showError);
  });

  // ------------------------------------------------------------------ alerts
  function renderAlerts() {
    const items = [];
    for (const c of S.checkins) {
      if (c.level === "missed") items.push(`<li class="alert danger" data-checkin="${CD.esc(c.incident_id)}"><strong>${CD.esc(c.call_sign)} missed its safety check-in</strong> on ${CD.esc(c.incident_id)} — overdue <span class="overdue" data-due="${CD.esc(c.due_at)}">${CD.fmtDur(CD.now() - Date.parse(c.due_at))}</span>. Call the crew.
        <button type="button" data-radio-checkin="${CD.esc(c.incident_id)}">Crew answered: record check-in</button></li>`);
      else if (c.level === "due") items.push(`<li class="alert warn-bg">${CD.esc(c.call_sign)} check-in due on ${CD.esc(c.incident_id)} at ${CD.esc(CD.fmtTime(c.due_at))}</li>`);
    }
    for (const a of S.escalations.slice(0, 20)) items.push(`<li class="alert ${a.kind === "budget_breached" ? "danger" : "warn-bg"}">${CD.esc(CD.fmtTime(a.at))} <button type="button" class="link" data-select="${CD.esc(a.incident_id)}">${CD.esc(a.incident_id)}</button> ${CD.esc(CD.label(a.kind))}: ${CD.esc(a.message || "")}</li>`);
    $("alerts").innerHTML = items.length ? items.join("") : `<li class="muted none">No alerts.</li>`;
  }
  function renderCheckinAlertsTimes() {
    document.querySelectorAll("#alerts .overdue").forEach((s) => { s.textContent = CD.fmtDur(CD.now() - Date.parse(s.dataset.due)); });
  }
  $("alerts").addEventListener("click", async (e) => {
    const sel = e.target.closest("[data-select]"); if (sel) { select(sel.dataset.select); return; }
    const b = e.target.closest("[data-radio-checkin]"); if (!b) return;
    b.disabled = true;
    try { await CD.api(`/incidents/${encodeURIComponent(b.dataset.radioCheckin)}/checkins`, { method: "POST", body: { comment: "crew answered the dispatcher by radio" } }); }
    catch (err) { showError(err); b.disabled = false; }
  });

  // ------------------------------------------------------------------ new call
  const form = $("call-form");
  let idemKey = CD.uuid();
  function answers() {
    const out = {};
    form.querySelectorAll("[data-question]").forEach((q) => {
      const id = q.dataset.question, type = q.dataset.type;
      if (type === "yes_no") { const r = q.querySelector("input:checked"); if (r && r.value) out[id] = r.value; }
      else { const el = q.querySelector("input,select"); if (el.value !== "") out[id] = type === "integer" ? parseInt(el.value, 10) : el.value; }
    });
    return out;
  }
  function callBody() {
    const v = (name) => form.elements[name].value.trim();
    return { call_type: v("call_type"), code: v("code") || null, narrative: v("narrative"), answers: answers() };
  }
  async function runTriage() {
    const body = callBody();
    if (!body.call_type && !body.narrative && !body.code && !Object.keys(body.answers).length) {
      $("triage-summary").textContent = "Answer the questions: the triage result and its reasons appear here."; $("triage-summary").className = "muted"; $("triage-reasons").innerHTML = ""; markSafetyQuestions(false); return;
    }
    try {
      const t = await CD.api("/triage", { method: "POST", body });
      const team = (t.tier || "").startsWith("MH_TEAM");
      $("triage-summary").className = "triage-result " + (team ? "team" : "other");
      $("triage-summary").innerHTML = `<strong>${CD.esc(t.tier)}</strong> · priority ${CD.esc(t.priority)} · ${CD.esc(t.determinant)}` +
        (t.screened_out ? ` — <span class="warn">not for the crisis team alone: ${CD.esc(CD.label(t.screened_out))}</span>` : team ? " — a crisis team goes" : "") +
        ((t.flags || []).length ? `<br><span class="flags">${t.flags.map((f) => `<span class="chip">${CD.esc(CD.label(f.name))}</span>`).join(" ")}</span>` : "");
      $("triage-reasons").innerHTML = (t.reasons || []).map((r) => `<li>${CD.esc(r)}</li>`).join("");
      if (t.confirmed === false) {
        $("triage-summary").insertAdjacentHTML("beforeend", `<br><span class="badge unconfirmed">Unconfirmed — text only</span> <span class="small">Ask: weapon? violence? awake and breathing?</span>`);
      }
      markSafetyQuestions(t.confirmed === false);
    } catch (e) { $("triage-summary").className = "error"; $("triage-summary").textContent = `Triage failed: ${e.detail}`; }
  }
  // The three safety questions are highlighted while a text-only decision sends the team alone.
  function markSafetyQuestions(ask) { form.querySelectorAll("[data-safety]").forEach((q) => q.classList.toggle("ask", ask)); }
  const triageSoon = CD.debounce(runTriage, 250);
  form.addEventListener("input", (e) => { if (!["lat", "lon", "address"].includes(e.target.name)) triageSoon(); });
  form.addEventListener("change", triageSoon);
  let keepMsg = false;  // a reset after a successful call keeps its confirmation
  form.addEventListener("reset", () => {
    const keep = keepMsg; keepMsg = false;
    setTimeout(() => { runTriage(); mapView.clearCall(); if (!keep) $("call-msg").textContent = ""; }, 0);
    $("call-outside-row").hidden = true;
    idemKey = CD.uuid();
  });
  function placeCall(lat, lon) {
    const pf = $("place-form");
    if (pf) { pf.elements.lat.value = lat.toFixed(5); pf.elements.lon.value = lon.toFixed(5); }  // placing a CAD incident
    form.elements.lat.value = lat.toFixed(5); form.elements.lon.value = lon.toFixed(5);
    mapView.placeCall(lat, lon);
  }
  ["lat", "lon"].forEach((n) => form.elements[n].addEventListener("change", () => {
    const lat = parseFloat(form.elements.lat.value), lon = parseFloat(form.elements.lon.value);
    if (!isNaN(lat) && !isNaN(lon)) mapView.placeCall(lat, lon);
  }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const msg = $("call-msg");
    const lat = parseFloat(form.elements.lat.value), lon = parseFloat(form.elements.lon.value);
    if (isNaN(lat) || isNaN(lon)) { msg.className = "msg error"; msg.textContent = "Give the location: latitude and longitude (or click the map)."; form.elements.lat.focus(); return; }
    const body = Object.assign(callBody(), {
      lat, lon, address: form.elements.address.value.trim(), caller_name: form.elements.caller_name.value.trim(),
      caller_phone: form.elements.caller_phone.value.trim(), subject_description: form.elements.subject_description.value.trim(),
    });
    if (Number.isInteger(body.answers.age)) body.subject_age = body.answers.age;
    if (CAN_ASSIGN && $("call-outside").checked) body.outside_service_area = true;
    $("call-submit").disabled = true;
    try {
      const inc = await CD.api("/calls", { method: "POST", body, headers: { "Idempotency-Key": idemKey } });
      const open = !TERMINAL.has(inc.status);
      msg.className = "msg ok";
      msg.textContent = open ? `${inc.id} created: ${inc.tier}, ${CD.label(inc.status)}.` + (unconfirmed(inc) ? " Unconfirmed — text only: ask the safety questions (Selected incident)." : "") : `${inc.id} recorded and closed: ${inc.tier} (${CD.label(inc.screened_out_reason || "not for the crisis team")}).`;
      keepMsg = true;
      form.reset();
      await refresh();
      if (open) select(inc.id);
    } catch (err) {
      msg.className = "msg error"; msg.textContent = `Not created: ${err.detail}`;
      // A dispatcher may take a call outside the area on purpose: the box says so, and is recorded.
      if (err.error === "OutsideServiceArea" && CAN_ASSIGN) $("call-outside-row").hidden = false;
    }
    finally { $("call-submit").disabled = false; }
  });

  // Keyboard: Alt+N starts a new call from anywhere, "/" jumps to the incident search.
  document.addEventListener("keydown", (e) => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
    if (e.altKey && (e.key === "n" || e.key === "N")) { e.preventDefault(); $("call-address").focus(); }
    else if (e.key === "/" && !typing) { e.preventDefault(); $("queue-filter-text").focus(); }
  });

  function showError(e) { const m = $("assign-msg"); m.className = "msg error"; m.textContent = e && e.detail ? e.detail : String(e); }

  // ------------------------------------------------------------------ live
  // Load now (the page works even when the feed is down), and again once the feed is
  // connected: nothing that changed in between is missed.
  refresh().catch(showError);
  CD.connect({
    hello: () => refreshSoon(),
    status: (ev) => {
      if ((ev.event || "").startsWith("escalation:")) {
        S.escalations.unshift({ incident_id: ev.incident_id, kind: ev.event.slice("escalation:".length), message: ev.reason, at: ev.at });
        renderAlerts();
      }
      onStatus(ev);
    },
    checkins: (d) => { S.checkins = d.checkins; renderAlerts(); },
  });
  setInterval(tickQueue, 1000);
})();
