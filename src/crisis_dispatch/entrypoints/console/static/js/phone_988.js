// The dispatcher console's 988 screen (issue 14 item 5): calls the triage sent to the 988
// line, and for the one chosen, the transfer, its result, or a hand-back for a team. The API
// (POST /incidents/{id}/988/...) checks everything; this page lists, sends and says what happened.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const panel = $("phone-988");
  if (!panel) return;  // roles that may not take calls have no 988 screen
  const TIER = "PHONE_988";
  let calls = [];

  function current() { return calls.find((c) => c.id === $("p988-incident").value) || null; }
  function stateText(t) {
    if (!t) return "Not transferred yet.";
    let s = `Transferred ${CD.fmtDateTime(t.transferred_at)} to ${t.centre} (reference ${t.reference}).`;
    if (t.handed_back_to) s += ` Handed back: team incident ${t.handed_back_to}.`;
    else if (t.result) s += ` Result: ${CD.label(t.result)}${t.result_note ? ` (${t.result_note})` : ""}.`;
    return s;
  }
  function show() {
    const c = current(), t = c ? c.phone_988 : null;
    $("p988-state").textContent = c ? stateText(t) : "";
    $("p988-transfer-form").hidden = !c || !!t;
    const open = !!(t && !t.handed_back_to);
    $("p988-result-form").hidden = !open || t.result === "resolved_by_phone";
    $("p988-handback-form").hidden = !open;
  }
  async function load(keep) {
    try {
      const all = await CD.api("/incidents?limit=200");
      calls = all.filter((i) => i.tier === TIER);
    } catch (e) { calls = []; $("p988-msg").className = "msg error"; $("p988-msg").textContent = e.detail; }
    const sel = $("p988-incident"), was = keep || sel.value;
    sel.innerHTML = (calls.length ? '<option value="">Choose a 988 call…</option>' : '<option value="">No call sent to 988.</option>') + calls.map((c) =>
      `<option value="${CD.esc(c.id)}">${CD.esc(c.id)} · ${CD.esc(CD.fmtDateTime(c.timestamps.received_at))} · ${c.phone_988 ? CD.esc(CD.label(c.phone_988.result || "transferred")) : "not transferred"}</option>`).join("");
    if (calls.some((c) => c.id === was)) sel.value = was;
    show();
  }
  panel.addEventListener("toggle", () => { if (panel.open) load(); });
  $("p988-incident").addEventListener("change", () => { $("p988-msg").textContent = ""; show(); });

  async function send(path, body, done) {
    const c = current(), msg = $("p988-msg");
    if (!c) { msg.className = "msg error"; msg.textContent = "Choose the 988 call first."; return; }
    try {
      const inc = await CD.api(`/incidents/${encodeURIComponent(c.id)}/988/${path}`, { method: "POST", body });
      msg.className = "msg ok"; msg.textContent = done(inc, c.id);
      await load(c.id);
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not recorded: ${err.detail}`; }
  }
  $("p988-transfer-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    if (!f.centre.value.trim() || !f.reference.value.trim()) { $("p988-msg").className = "msg error"; $("p988-msg").textContent = "Give the 988 centre and its reference."; return; }
    send("transfer", { centre: f.centre.value.trim(), reference: f.reference.value.trim() }, (inc) => `${inc.id}: transfer to ${inc.phone_988.centre} recorded.`);
    e.target.reset();
  });
  $("p988-result-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target.elements;
    if (!f.result.value) { $("p988-msg").className = "msg error"; $("p988-msg").textContent = "Choose the result."; return; }
    send("result", { result: f.result.value, note: f.note.value.trim() }, (inc) => `${inc.id}: ${CD.label(inc.phone_988.result)} recorded.`);
    e.target.reset();
  });
  $("p988-handback-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const narrative = e.target.elements.narrative.value.trim();
    if (!narrative) { $("p988-msg").className = "msg error"; $("p988-msg").textContent = "Say what the 988 counsellor found and asks for."; return; }
    send("handback", { narrative }, (inc, from) => {
      document.dispatchEvent(new CustomEvent("cd:incident-created", { detail: inc.id }));
      return `Handed back from ${from}: new incident ${inc.id}, ${CD.label(inc.tier)}, ${CD.label(inc.status)}.`;
    });
    e.target.reset();
  });
})();
