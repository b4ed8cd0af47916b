// "Who is this?" (issue 14 item 2): search the person index for the incident on screen, see why
// each suggestion matched, link one (or create a new person and link), and see the person's
// previous encounters. A search links nothing: only the "Link" buttons do. The crew phone and
// the dispatcher console tell this script which incident is shown (event "cd:incident-shown").
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const card = $("person-card");
  if (!card) return;  // roles without the person index
  const canLink = card.dataset.canLink === "1", canRead = card.dataset.canRead === "1";
  const form = $("person-search-form");
  const S = { incident: null, personId: null, closed: false, candidates: [] };

  function say(text, kind) { const m = $("person-msg"); m.className = "msg" + (kind ? " " + kind : ""); m.textContent = text || ""; }
  function query() {
    const q = {};
    for (const k of ["name", "dob", "phone", "description"]) { const v = form.elements[k].value.trim(); if (v) q[k] = v; }
    return q;
  }

  document.addEventListener("cd:incident-shown", (e) => {
    const d = e.detail || {};
    const changed = d.id !== S.incident || (d.person_id || null) !== S.personId;
    if (d.id !== S.incident) { form.reset(); $("person-candidates").innerHTML = ""; say(""); }
    S.incident = d.id || null; S.personId = d.person_id || null;
    card.hidden = !S.incident;
    if (changed && S.incident) render();
  });

  async function render() {
    const linked = !!S.personId;
    $("person-linked").hidden = !linked;
    form.hidden = linked;
    $("person-candidates").hidden = linked;
    if (!linked) return;
    if (!canRead) { $("person-linked-name").textContent = S.personId; $("person-history-summary").textContent = ""; return; }
    try { showPerson(await CD.api(`/persons/${encodeURIComponent(S.personId)}`)); }
    catch (err) { say(`Could not read the person: ${err.detail}`, "error"); }
  }

  function facts(p) {
    return [p.dob ? `born ${p.dob}` : "", p.names.length > 1 ? `also ${p.names.slice(1).join(", ")}` : "", p.description].filter(Boolean).join(" · ");
  }
  function showPerson(p) {
    $("person-linked-name").textContent = p.name || p.description || p.id;
    $("person-linked-facts").textContent = facts(p);
    const before = p.encounters.filter((x) => x.incident_id !== S.incident);
    const holds = before.filter((x) => x.hold).length;
    const last = before.length ? before[before.length - 1].received_at : null;
    $("person-history-summary").textContent = before.length
      ? `Seen ${before.length} time${before.length === 1 ? "" : "s"} before · last ${CD.fmtDateTime(last)}${holds ? ` · ${holds} hold${holds === 1 ? "" : "s"}` : ""}`
      : "No previous encounter.";
    $("person-history").innerHTML = before.slice().reverse().map((x) => `<li>${CD.esc(CD.fmtDateTime(x.received_at))} · ${CD.esc(x.tier || "—")} · ${CD.esc(CD.label(x.disposition) || CD.label(x.status))}${x.destination ? ` → ${CD.esc(x.destination)}` : ""}${x.hold ? ` <span class="badge unconfirmed">WIC ${CD.esc(x.hold.type)} hold (${CD.esc(CD.label(x.hold.written_by))})</span>` : ""}</li>`).join("");
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const q = query();
    if (!Object.keys(q).length) { say("Type a name, a date of birth, a phone or a description.", "error"); form.elements.name.focus(); return; }
    say("Searching…");
    try {
      const r = await CD.api("/persons?" + new URLSearchParams(q).toString());
      S.candidates = r.candidates;
      $("person-candidates").innerHTML = r.candidates.map((c) => `<li data-person="${CD.esc(c.person.id)}">
        <strong>${CD.esc(c.person.name || c.person.description || c.person.id)}</strong> <span class="badge">${CD.esc(Math.round(c.score))}%</span>
        <span class="small muted">${CD.esc(facts(c.person))}</span>
        <ul class="reasons small">${c.reasons.map((x) => `<li>${CD.esc(x)}</li>`).join("")}</ul>
        ${canLink ? `<button type="button" data-link="${CD.esc(c.person.id)}">Link this person</button>` : ""}</li>`).join("");
      say(r.candidates.length ? `${r.candidates.length} suggested — check before you link.` : "Nobody like this in the index.");
    } catch (err) { say(`Not searched: ${err.detail}`, "error"); }
  });

  async function linkTo(personId) {
    const incident = S.incident;
    await CD.api(`/incidents/${encodeURIComponent(incident)}/person`, { method: "POST", body: { person_id: personId } });
    S.personId = personId;
    say(`${incident} linked.`, "ok");
    await render();
  }
  $("person-candidates").addEventListener("click", async (e) => {
    const b = e.target.closest("[data-link]"); if (!b || !S.incident) return;
    b.disabled = true;
    try { await linkTo(b.dataset.link); } catch (err) { say(`Not linked: ${err.detail}`, "error"); b.disabled = false; }
  });
  if ($("ps-create")) $("ps-create").addEventListener("click", async () => {
    const q = query();
    if (!q.name && !q.description) { say("Give a name or a description for the new person.", "error"); form.elements.name.focus(); return; }
    const body = { names: q.name ? [q.name] : [], dob: q.dob || null, phones: q.phone ? [q.phone] : [], description: q.description || "" };
    try { const p = await CD.api("/persons", { method: "POST", body }); await linkTo(p.id); }
    catch (err) { say(`Not created: ${err.detail}`, "error"); }
  });
  if ($("person-unlink")) $("person-unlink").addEventListener("click", async () => {
    if (!S.incident) return;
    try {
      await CD.api(`/incidents/${encodeURIComponent(S.incident)}/person`, { method: "DELETE" });
      S.personId = null; say("Unlinked.", "ok"); form.reset(); $("person-candidates").innerHTML = ""; await render();
    } catch (err) { say(`Not unlinked: ${err.detail}`, "error"); }
  });
})();
