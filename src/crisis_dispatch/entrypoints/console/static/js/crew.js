// The crew's phone view: my van's assignment, big status buttons, the safety check-in
// timer on scene, the outcome form (with 5150/5585 hold details) and notes.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const S = { me: null, unit: null, incident: null, checkin: null, facilities: [], lastClosed: null };
  // Which status buttons make sense from the van's status (the server decides; this only guides).
  const NEXT = {
    dispatched: ["en_route", "on_scene"], en_route: ["on_scene"], on_scene: ["transporting", "available"],
    transporting: ["at_destination"], at_destination: ["available"],
  };
  const HOLD_HOURS = 72;
  // These outcomes end at a destination: the van clears from there, not from the scene.
  const TRANSPORTS = ["voluntary_transport", "involuntary_hold"];
  const ROLE_SHORT = { clinical_driver: "Driver", psychiatric_technician: "Psych tech", peer_support_specialist: "Peer" };
  const ROLE_ORDER = Object.keys(ROLE_SHORT);

  async function load() {
    const [me, units] = await Promise.all([S.me ? Promise.resolve(S.me) : CD.api("/auth/me"), CD.api("/units")]);
    S.me = me;
    S.unit = units.find((u) => Object.values(u.crew || {}).some((c) => c.staff_id && c.staff_id === me.staff_id)) || null;
    let open = [];
    try { open = await CD.api("/incidents?open=true"); } catch (e) { open = []; }
    const mine = S.unit ? open.find((i) => i.unit_id === S.unit.id) || null : null;
    S.incident = mine ? await CD.api(`/incidents/${encodeURIComponent(mine.id)}`) : null;
    render();
  }
  const loadSoon = CD.throttle(() => load().catch(showErr), 300);

  // Where the van takes the person: shown from the recorded outcome while transporting,
  // with a link that hands the address over to the phone's own navigation app.
  function destinationRow(inc) {
    const dest = inc.outcome && inc.outcome.destination;
    if (!dest || !["transporting", "at_destination"].includes(inc.status)) return "";
    const fac = S.facilities.find((x) => x.id === dest.facility_id);
    const where = fac ? `${fac.lat},${fac.lon}` : null;
    const address = fac ? fac.address : "";
    const nav = where ? ` <a class="nav-link" href="geo:${where}?q=${encodeURIComponent(`${where}(${dest.name})`)}">Navigate</a>` : "";
    return `<dt>Destination</dt><dd id="asg-destination"><strong>${CD.esc(dest.name)}</strong>${address ? `<br><span class="small">${CD.esc(address)}</span>` : ""}${nav}</dd>`;
  }
  // A hold written by others (issue 14): who wrote it, where the person waits, where they go.
  function holdRows(inc) {
    const ht = inc.hold_transport;
    if (!ht) return "";
    const w = ht.writer;
    const fac = S.facilities.find((x) => x.id === ht.destination.facility_id);
    const nav = fac ? ` <a class="nav-link" href="geo:${fac.lat},${fac.lon}?q=${encodeURIComponent(`${fac.lat},${fac.lon}(${ht.destination.name})`)}">Navigate</a>` : "";
    return `<dt>Hold</dt><dd id="asg-hold">WIC ${CD.esc(ht.hold_type)} written by <strong>${CD.esc(w.name)}</strong> (${CD.esc(CD.label(w.kind))}, ${CD.esc(w.agency)}, #${CD.esc(w.credential)})${w.designation ? `, ${CD.esc(w.designation)}` : ""}</dd>
      <dt>Pickup</dt><dd>${CD.esc(CD.label(ht.pickup_kind))}${ht.pickup_name ? `: ${CD.esc(ht.pickup_name)}` : ""}</dd>
      <dt>To</dt><dd id="asg-hold-destination"><strong>${CD.esc(ht.destination.name)}</strong>${fac && fac.address ? `<br><span class="small">${CD.esc(fac.address)}</span>` : ""}${nav}</dd>`;
  }
  function renderHold() {
    const inc = S.incident, ht = inc && inc.hold_transport;
    $("hold-card").hidden = !ht;
    if (!ht) return;
    const left = Date.parse(ht.expires_at) - CD.now();
    $("hold-left").textContent = left > 0 ? `${CD.fmtDur(left)} left on the hold (expires ${CD.fmtDateTime(ht.expires_at)})` : `The hold expired ${CD.fmtDateTime(ht.expires_at)}: do not transport; call dispatch`;
    $("hold-card").dataset.level = left > 0 ? (left < 2 * 3600000 ? "due" : "ok") : "missed";
    const v = ht.verification;
    $("hold-verify").hidden = !!v || inc.status !== "on_scene";
    $("hold-verified").hidden = !v;
    $("hold-verified").textContent = v ? `Application verified by ${v.verified_by} at ${CD.fmtTime(v.verified_at)}.` : "";
    $("hold-handover").hidden = !v || !["transporting", "at_destination"].includes(inc.status);
  }
  function facilityText(f) {
    // Several facilities share a name (three Star Behavioral Health centres): the address tells them apart.
    const same = S.facilities.filter((x) => x.name === f.name).length > 1;
    return same && f.address ? `${f.name} — ${f.address}` : f.name;
  }

  function render() {
    const u = S.unit, inc = S.incident;
    // The person index's card (persons.js) follows the incident on screen.
    document.dispatchEvent(new CustomEvent("cd:incident-shown", { detail: inc ? { id: inc.id, person_id: inc.person_id } : {} }));
    $("van-sign").textContent = u ? u.call_sign : "No van";
    $("van-status").textContent = u ? CD.label(u.status) : "off shift";
    $("van-status").className = "badge st-" + (u ? u.status : "off_shift");
    $("van-crew").textContent = u ? Object.entries(u.crew || {}).sort((a, b) => ROLE_ORDER.indexOf(a[0]) - ROLE_ORDER.indexOf(b[0])).map(([r, c]) => `${ROLE_SHORT[r] || r}: ${c.name}`).join(" · ") : "You are not on a van's shift now.";
    if (!inc) {
      $("asg-body").innerHTML = `<p class="big-text">No assignment.</p><p class="muted">${S.lastClosed ? CD.esc(S.lastClosed) : "Waiting for dispatch."}</p>`;
      for (const id of ["status-card", "checkin-card", "outcome-card", "notes-card", "hold-card"]) $(id).hidden = true;
      return;
    }
    const call = (inc.calls || [])[0] || {};
    const t = inc.triage || {};
    const flags = (t.flags || []).map((f) => `<span class="chip">${CD.esc(CD.label(f.name))}</span>`).join(" ");
    $("asg-body").innerHTML = `
      <p class="inc-head"><strong id="asg-id">${CD.esc(inc.id)}</strong> <span class="badge st-${CD.esc(inc.status)}" id="asg-status">${CD.esc(CD.label(inc.status))}</span></p>
      <p class="big-text" id="asg-where">${CD.where(inc, 5)}${CD.placed(inc.location) ? ` <a class="nav-link" href="geo:${inc.location.lat},${inc.location.lon}?q=${encodeURIComponent(`${inc.location.lat},${inc.location.lon}(${inc.address || inc.id})`)}">Navigate</a>` : ""}</p>
      <dl class="facts">
        <dt>Tier</dt><dd>${CD.esc(inc.tier || "—")} · priority ${CD.esc(inc.priority ?? "—")}</dd>
        ${inc.subject_description || inc.subject_age != null ? `<dt>Person</dt><dd id="asg-person">${[inc.subject_description ? CD.esc(inc.subject_description) : "", inc.subject_age != null ? `${CD.esc(inc.subject_age)} years old` : ""].filter(Boolean).join(", ")}</dd>` : ""}
        ${holdRows(inc)}
        ${destinationRow(inc)}
        ${call.narrative ? `<dt>Call</dt><dd>${CD.esc(call.call_type || "")} ${CD.esc(call.narrative)}</dd>` : ""}
        ${flags ? `<dt>Flags</dt><dd>${flags}</dd>` : ""}
      </dl>
      ${(t.reasons || []).length ? `<details><summary>Why a crisis team</summary><ul class="reasons">${t.reasons.map((r) => `<li>${CD.esc(r)}</li>`).join("")}</ul></details>` : ""}
      ${inc.outcome ? `<p class="ok">Outcome recorded: <strong>${CD.esc(CD.label(inc.outcome.disposition))}</strong>${inc.outcome.hold ? ` · hold expires ${CD.esc(CD.fmtDateTime(inc.outcome.hold.expires_at))}` : ""}</p>` : ""}`;
    // Status buttons
    $("status-card").hidden = false;
    const allowed = NEXT[u.status] || [];
    document.querySelectorAll("[data-status]").forEach((b) => {
      const st = b.dataset.status;
      const needsOutcome = st === "available" && !inc.outcome && u.status !== "dispatched" && u.status !== "en_route";
      const needsTransport = st === "available" && inc.outcome && TRANSPORTS.includes(inc.outcome.disposition) && u.status === "on_scene";
      b.disabled = !allowed.includes(st) || needsOutcome || needsTransport;
      b.setAttribute("aria-pressed", String(u.status === st));
      b.title = needsOutcome ? "Record the outcome first" : needsTransport ? "Transport first: this outcome ends at a destination" : "";
    });
    // Check-in card only on scene
    $("checkin-card").hidden = inc.status !== "on_scene";
    renderCheckin();
    const ht = inc.hold_transport;
    if (ht && !ht.verification) {
      // A hold transport leaves only once the written application is verified (the server checks too).
      const b = document.querySelector('[data-status="transporting"]');
      b.disabled = true; b.title = "Verify the written hold application first";
    }
    renderHold();
    // Outcome form once the team has seen the person (a hold transport's outcome is its handover)
    $("outcome-card").hidden = !["on_scene", "transporting", "at_destination"].includes(inc.status) || !!inc.outcome || !!ht;
    fillHoldWriters();
    // Notes
    $("notes-card").hidden = false;
    $("notes").innerHTML = (inc.notes || []).map((n) => `<li><span class="muted small">${CD.esc(CD.fmtTime(n.at))} ${CD.esc(n.by)}</span> ${CD.esc(n.text)}</li>`).join("") || `<li class="muted">No notes yet.</li>`;
  }

  // ------------------------------------------------------------------ status buttons
  document.querySelectorAll("[data-status]").forEach((b) => b.addEventListener("click", async () => {
    if (!S.unit) return;
    const msg = $("status-msg"); msg.textContent = ""; msg.className = "msg";
    const closing = b.dataset.status === "available" && S.incident;
    const closedLabel = closing && S.incident.outcome ? `${S.incident.id} closed: ${CD.label(S.incident.outcome.disposition)}.` : null;
    b.disabled = true;
    try {
      await CD.api(`/units/${encodeURIComponent(S.unit.id)}/status`, { method: "POST", body: { status: b.dataset.status } });
      if (closedLabel) S.lastClosed = closedLabel;
      await load();
    } catch (e) { msg.className = "msg error"; msg.textContent = e.detail; b.disabled = false; }
  }));

  // ------------------------------------------------------------------ check-in
  function renderCheckin() {
    const c = S.checkin, card = $("checkin-card");
    if (!c || !S.incident || c.incident_id !== S.incident.id) { $("checkin-left").textContent = "—"; $("checkin-state").textContent = ""; card.dataset.level = "ok"; return; }
    const left = Date.parse(c.due_at) - CD.now();
    const level = left <= 0 ? "missed" : c.level === "missed" ? "missed" : c.level;
    card.dataset.level = level;
    $("checkin-left").textContent = left > 0 ? `Next check-in in ${CD.fmtDur(left)}` : `Check-in overdue by ${CD.fmtDur(-left)}`;
    $("checkin-state").textContent = level === "missed" ? "Missed: dispatch has been alerted. Check in now if you are safe."
      : level === "due" ? "Check-in due soon." : c.last_checkin_at ? `Last check-in ${CD.fmtTime(c.last_checkin_at)}.` : `On scene since ${CD.fmtTime(c.on_scene_at)}.`;
  }
  $("checkin-btn").addEventListener("click", async () => {
    if (!S.incident) return;
    try { S.checkin = await CD.api(`/incidents/${encodeURIComponent(S.incident.id)}/checkins`, { method: "POST", body: {} }); renderCheckin(); loadSoon(); }
    catch (e) { $("checkin-state").textContent = e.detail; }
  });

  // ------------------------------------------------------------------ outcome
  const form = $("outcome-form");
  function pad(n) { return String(n).padStart(2, "0"); }
  function localInput(ms) { const d = new Date(ms); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`; }
  function syncOutcome() {
    const d = form.elements.disposition.value;
    $("o-destination").hidden = !["voluntary_transport", "involuntary_hold"].includes(d);
    $("o-hold").hidden = d !== "involuntary_hold";
    if (d === "involuntary_hold" && !form.elements.hold_detained.value) form.elements.hold_detained.value = localInput(CD.now() - 60000);
    fillFacilities(); showExpiry();
  }
  function showExpiry() {
    const v = form.elements.hold_detained.value;
    $("o-hold-expiry").textContent = v ? `Expires: ${new Date(Date.parse(v) + HOLD_HOURS * 3600000).toLocaleString([], { weekday: "short", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" })} (72 hours from first detention)` : "Expires: —";
  }
  function fillFacilities() {
    const type = form.elements.dest_type.value, sel = form.elements.dest_facility, cur = sel.value;
    sel.innerHTML = `<option value="">Other (type a name)</option>` + S.facilities.filter((f) => f.type === type).map((f) => `<option value="${CD.esc(f.id)}">${CD.esc(facilityText(f))}</option>`).join("");
    if ([...sel.options].some((o) => o.value === cur)) sel.value = cur;
  }
  function fillHoldWriters() {
    const sel = form.elements.hold_by; if (!S.unit) return;
    const opts = Object.entries(S.unit.crew || {}).filter(([, c]) => (c.qualifications || []).some((q) => q.startsWith("hold_")))
      .map(([r, c]) => `<option value="${CD.esc(c.staff_id)}">${CD.esc(c.name)} (${CD.esc(ROLE_SHORT[r] || r)})</option>`).join("");
    if (sel.innerHTML !== opts) sel.innerHTML = opts || `<option value="">No designated crew member on shift</option>`;
  }
  // Destination suggestions from the county's criteria (POST /incidents/{id}/destinations).
  function assessment() {
    const out = {};
    form.querySelectorAll("[data-assess-number]").forEach((el) => { if (el.value !== "") out[el.dataset.assessNumber] = Number(el.value); });
    form.querySelectorAll("[data-assess-flag]").forEach((el) => { out[el.dataset.assessFlag] = el.checked; });
    if (S.incident && S.incident.subject_age != null) out.age = S.incident.subject_age;
    const d = form.elements.disposition.value;
    out.consent = d === "involuntary_hold" ? "hold_" + form.elements.hold_type.value : "voluntary";
    return out;
  }
  $("o-suggest").addEventListener("click", async () => {
    const msg = $("o-suggest-msg"), list = $("o-suggestions");
    if (!S.incident) return;
    msg.className = "msg"; msg.textContent = "Asking…"; list.innerHTML = "";
    try {
      const r = await CD.api(`/incidents/${encodeURIComponent(S.incident.id)}/destinations`, { method: "POST", body: { assessment: assessment(), k: 5 } });
      const ed = r.emergency_department_required || [];
      msg.textContent = ed.length ? `Emergency department: ${ed.join("; ")}` : r.ranked.length ? "Best first:" : "No facility fits.";
      list.innerHTML = r.ranked.map((x) => `<li><strong>${CD.esc(x.name)}</strong> <span class="muted small">${CD.esc(CD.label(x.type))} · ${CD.esc(Math.round(x.eta_minutes))} min${x.beds_available != null ? ` · ${CD.esc(x.beds_available)} beds` : ""}</span>
        <button type="button" data-pick="${CD.esc(x.facility_id)}" data-type="${CD.esc(x.type)}" data-name="${CD.esc(x.name)}">Choose</button></li>`).join("");
    } catch (e) { msg.className = "msg error"; msg.textContent = e.missingRoute ? "Destination suggestions are not available on this server." : e.detail; }
  });
  $("o-suggestions").addEventListener("click", (e) => {
    const b = e.target.closest("[data-pick]"); if (!b) return;
    if (!S.facilities.some((f) => f.id === b.dataset.pick)) S.facilities.push({ id: b.dataset.pick, name: b.dataset.name, type: b.dataset.type });
    form.elements.dest_type.value = b.dataset.type; fillFacilities();
    form.elements.dest_facility.value = b.dataset.pick;
    $("o-suggest-msg").textContent = "Destination chosen.";
    form.elements.dest_facility.focus();
  });

  ["disposition", "dest_type"].forEach((n) => form.elements[n].addEventListener("change", syncOutcome));
  form.elements.hold_detained.addEventListener("input", showExpiry);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!S.incident) return;
    const f = form.elements, msg = $("outcome-msg");
    // Nothing on this form is pre-answered: the crew chooses the outcome, the hold and the
    // WIC 5150(c) answer themselves, and the form says which one is missing.
    if (!f.disposition.value) { msg.className = "msg error"; msg.textContent = "Choose the outcome."; f.disposition.focus(); return; }
    const body = { disposition: f.disposition.value, summary: f.summary.value.trim(), care_referral: f.care_referral.checked };
    if (!$("o-destination").hidden) {
      const fac = S.facilities.find((x) => x.id === f.dest_facility.value);
      body.destination = { type: f.dest_type.value, name: fac ? fac.name : f.dest_name.value.trim(), facility_id: fac ? fac.id : null };
    }
    if (!$("o-hold").hidden) {
      const detained = f.hold_detained.value ? new Date(f.hold_detained.value).toISOString() : null;
      const withoutDetention = form.querySelector("input[name=without_detention]:checked");
      if (!f.hold_type.value) { msg.className = "msg error"; msg.textContent = "Choose the hold: WIC 5150 (adult) or 5585 (minor)."; f.hold_type.focus(); return; }
      body.hold = {
        type: f.hold_type.value, placed_by: f.hold_by.value, placed_at: new Date(Math.min(CD.now() - 1000, Date.now() + 864e5)).toISOString(), first_detained_at: detained,
        criteria: [...form.querySelectorAll("input[name=criteria]:checked")].map((c) => c.value),
        could_be_served_without_detention: withoutDetention ? withoutDetention.value === "yes" : null, facts: f.hold_facts.value.trim(),
      };
      if (!withoutDetention) { msg.className = "msg error"; msg.textContent = "Answer: could the person be served without detention? (WIC 5150(c))"; $("o-wd-no").focus(); return; }
      if (!detained) { msg.className = "msg error"; msg.textContent = "Give the time of first detention."; f.hold_detained.focus(); return; }
      if (!body.hold.criteria.length) { msg.className = "msg error"; msg.textContent = "Tick at least one hold criterion."; return; }
    }
    try {
      await CD.api(`/incidents/${encodeURIComponent(S.incident.id)}/outcome`, { method: "POST", body });
      msg.className = "msg ok"; msg.textContent = "Outcome recorded.";
      await load();
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not recorded: ${err.detail}`; }
  });

  // ------------------------------------------------------------------ hold transport: pickup and handover
  $("hold-verify-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!S.incident) return;
    const f = e.target.elements, msg = $("hold-msg");
    const body = { application_seen: f.application_seen.checked, application_signed: f.application_signed.checked, person_matches: f.person_matches.checked };
    try {
      await CD.api(`/incidents/${encodeURIComponent(S.incident.id)}/hold-transport/pickup`, { method: "POST", body });
      msg.className = "msg ok"; msg.textContent = "Verified: you may transport."; e.target.reset();
      await load();
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not verified: ${err.detail}`; }
  });
  $("hold-handover-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (!S.incident) return;
    const msg = $("hold-msg"), who = $("hh-received-by").value.trim();
    if (!who) { msg.className = "msg error"; msg.textContent = "Name the person who received the patient and the application."; $("hh-received-by").focus(); return; }
    const id = S.incident.id;
    try {
      const inc = await CD.api(`/incidents/${encodeURIComponent(id)}/hold-transport/handover`, { method: "POST", body: { received_by: who } });
      S.lastClosed = `${id} closed: handed over to ${who} at ${inc.hold_transport.destination.name}.`;
      msg.className = "msg"; msg.textContent = ""; e.target.reset();
      await load();
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not recorded: ${err.detail}`; }
  });

  // ------------------------------------------------------------------ notes
  $("note-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("note-text").value.trim(); if (!text || !S.incident) return;
    try { await CD.api(`/incidents/${encodeURIComponent(S.incident.id)}/notes`, { method: "POST", body: { text } }); $("note-text").value = ""; await load(); }
    catch (err) { $("note-msg").className = "msg error"; $("note-msg").textContent = err.detail; }
  });

  function showErr(e) { $("status-msg").className = "msg error"; $("status-msg").textContent = e && e.detail ? e.detail : String(e); }

  CD.api("/facilities").then((f) => { S.facilities = f; fillFacilities(); }).catch(() => {});
  syncOutcome();
  load().catch(showErr);
  CD.connect({
    hello: () => loadSoon(),
    status: () => loadSoon(),
    checkins: (d) => { S.checkin = S.incident ? d.checkins.find((c) => c.incident_id === S.incident.id) || null : d.checkins[0] || null; renderCheckin(); },
  });
  setInterval(() => { renderCheckin(); renderHold(); }, 1000);
})();
