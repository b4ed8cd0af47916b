// Person records (issue 14 item 2): search the person index, open a record with its encounters
// and trail, merge it into another record of the same person (with a reason), or undo a merge.
// The server checks every permission and rule again; this page only shows and sends.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("pr-search");
  const S = { found: [], record: null };

  function say(id, text, kind) { const m = $(id); m.className = "msg" + (kind ? " " + kind : ""); m.textContent = text || ""; }
  function title(p) { return p.name || p.description || p.id; }
  function facts(p) {
    return [p.id, p.dob ? `born ${p.dob}` : "", p.names.length > 1 ? `also ${p.names.slice(1).join(", ")}` : "",
      p.phones.length ? p.phones.join(", ") : "", p.name ? p.description : ""].filter(Boolean).join(" · ");
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const q = {};
    for (const k of ["name", "dob", "phone", "description"]) { const v = form.elements[k].value.trim(); if (v) q[k] = v; }
    if (!Object.keys(q).length) { say("pr-msg", "Type a name, a date of birth, a phone or a description.", "error"); form.elements.name.focus(); return; }
    say("pr-msg", "Searching…");
    try {
      const r = await CD.api("/persons?" + new URLSearchParams(q).toString());
      S.found = r.candidates.map((c) => c.person);
      $("pr-results").hidden = !r.candidates.length;
      $("pr-results-body").innerHTML = r.candidates.map((c) => `<tr data-person="${CD.esc(c.person.id)}">
        <td><strong>${CD.esc(title(c.person))}</strong>${c.person.merged_into ? ` <span class="badge unconfirmed">merged into ${CD.esc(c.person.merged_into)}</span>` : ""}<br><span class="small muted">${CD.esc(facts(c.person))}</span></td>
        <td>${CD.esc(Math.round(c.score))}%</td>
        <td><ul class="reasons small">${c.reasons.map((x) => `<li>${CD.esc(x)}</li>`).join("")}</ul></td>
        <td><button type="button" data-open="${CD.esc(c.person.id)}">Open</button></td></tr>`).join("");
      say("pr-msg", r.candidates.length ? `${r.candidates.length} suggested.` : "Nobody like this in the index.");
      fillMergeChoices();
    } catch (err) { say("pr-msg", `Not searched: ${err.detail}`, "error"); }
  });

  for (const where of ["pr-results-body", "rec-merged-from-list"]) {
    $(where).addEventListener("click", (e) => {
      const b = e.target.closest("button[data-open]");
      if (b) open(b.dataset.open);
    });
  }

  async function open(id) {
    say("rec-msg", "");
    try { show(await CD.api(`/persons/${encodeURIComponent(id)}`)); }
    catch (err) { say("rec-msg", `Could not read the record: ${err.detail}`, "error"); $("pr-record").hidden = false; }
  }

  function show(p) {
    S.record = p;
    $("pr-record").hidden = false;
    $("rec-name").textContent = title(p);
    $("rec-merged").hidden = !p.merged_into;
    $("rec-merged").textContent = p.merged_into ? `merged into ${p.merged_into}` : "";
    $("rec-facts").textContent = facts(p);
    $("rec-merged-from").hidden = !p.merged_from.length;
    $("rec-merged-from-list").innerHTML = p.merged_from.map((id) => `<button type="button" data-open="${CD.esc(id)}">Open ${CD.esc(id)}</button>`).join(" ");
    const s = p.summary;
    $("rec-summary").textContent = s.count
      ? `${s.count} encounter${s.count === 1 ? "" : "s"} · first ${CD.fmtDateTime(s.first_at)} · last ${CD.fmtDateTime(s.last_at)}${s.holds ? ` · ${s.holds} hold${s.holds === 1 ? "" : "s"}` : ""}`
      : "No encounter linked.";
    $("rec-encounters").innerHTML = p.encounters.length ? p.encounters.slice().reverse().map((x) => `<tr>
      <td>${CD.esc(CD.fmtDateTime(x.received_at))}</td><td>${CD.esc(x.incident_id)}</td><td>${CD.esc(x.tier || "—")}</td>
      <td>${CD.esc(CD.label(x.disposition) || CD.label(x.status))}${x.destination ? ` → ${CD.esc(CD.label(x.destination))}` : ""}</td>
      <td>${x.hold ? `WIC ${CD.esc(x.hold.type)} (${CD.esc(CD.label(x.hold.written_by))})` : ""}</td>
      <td>${CD.esc(x.linked_to)}</td></tr>`).join("") : '<tr><td colspan="6" class="muted">None.</td></tr>';
    $("rec-trail").innerHTML = p.trail.map((t) => `<li>${CD.esc(CD.fmtDateTime(t.at))} · ${CD.esc(CD.label(t.action))} by ${CD.esc(t.by)}${t.other_person_id ? ` (${CD.esc(t.other_person_id)})` : ""}${t.incident_id ? ` · ${CD.esc(t.incident_id)}` : ""}${t.reason ? ` — ${CD.esc(t.reason)}` : ""}</li>`).join("");
    $("merge-form").hidden = !!p.merged_into;
    $("unmerge-form").hidden = !p.merged_into;
    $("merge-form").reset();
    $("unmerge-form").reset();
    fillMergeChoices();
  }

  function fillMergeChoices() {
    const sel = $("merge-into");
    const here = S.record ? S.record.id : null;
    const choices = S.found.filter((p) => p.id !== here && !p.merged_into);
    sel.innerHTML = `<option value="">${choices.length ? "Choose the record that stays…" : "Search, then choose a record…"}</option>` +
      choices.map((p) => `<option value="${CD.esc(p.id)}">${CD.esc(title(p))} — ${CD.esc(facts(p))}</option>`).join("");
  }

  $("merge-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const into = $("merge-into").value, reason = $("merge-reason").value.trim();
    if (!into) { say("rec-msg", "Choose the record that stays.", "error"); $("merge-into").focus(); return; }
    if (!reason) { say("rec-msg", "Say why they are the same person.", "error"); $("merge-reason").focus(); return; }
    try {
      const r = await CD.api(`/persons/${encodeURIComponent(S.record.id)}/merge`, { method: "POST", body: { into, reason } });
      S.found = S.found.map((p) => (p.id === r.person.id ? r.person : p));
      await open(r.other.id);
      say("rec-msg", `${r.person.id} merged into ${r.other.id}: ${r.incidents.length} encounter${r.incidents.length === 1 ? "" : "s"} now listed here.`, "ok");
    } catch (err) { say("rec-msg", `Not merged: ${err.detail}`, "error"); }
  });

  $("unmerge-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const reason = $("unmerge-reason").value.trim();
    if (!reason) { say("rec-msg", "Say why they are not the same person.", "error"); $("unmerge-reason").focus(); return; }
    try {
      const r = await CD.api(`/persons/${encodeURIComponent(S.record.id)}/unmerge`, { method: "POST", body: { reason } });
      S.found = S.found.map((p) => (p.id === r.person.id ? r.person : p));
      await open(r.person.id);
      say("rec-msg", `${r.person.id} stands for itself again with ${r.incidents.length} encounter${r.incidents.length === 1 ? "" : "s"}.`, "ok");
    } catch (err) { say("rec-msg", `Not undone: ${err.detail}`, "error"); }
  });
})();
