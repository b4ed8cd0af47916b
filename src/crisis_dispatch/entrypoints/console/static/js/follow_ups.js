// The dispatcher's "Follow-ups" panel (issue 14 item 3): the open follow-up tasks soonest due
// first, overdue ones marked (and raised once in the Alerts list), and the outcome of each
// recorded in place. The list is read again every 30 seconds and after each outcome: the
// server's clock decides what is overdue.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const body = $("fu-body");
  if (!body) return;  // roles that do not work follow-ups have no panel
  const RESULTS = [["reached", "Reached"], ["not_reached", "Not reached"], ["linked_to_care", "Linked to care"], ["declined", "Declined"]];
  const alerted = new Set();

  function alertOverdue(t) {
    if (alerted.has(t.id)) return;
    alerted.add(t.id);
    const list = $("alerts");
    if (!list) return;
    const none = list.querySelector(".none");
    if (none) none.remove();
    const li = document.createElement("li");
    li.className = "alert follow-up-overdue";
    li.textContent = `Follow-up overdue: ${CD.label(t.kind)} for ${t.incident_id}, due ${CD.fmtDateTime(t.due_at)} (attempt ${t.attempt} of ${t.attempts_allowed})`;
    list.prepend(li);
  }

  function row(t) {
    const options = RESULTS.map(([v, text]) => `<option value="${v}">${text}</option>`).join("");
    const late = t.overdue ? ` <span class="badge overdue">Overdue ${CD.fmtDur(t.minutes_overdue * 60000)}</span>` : "";
    return `<tr data-follow-up="${CD.esc(t.id)}" class="${t.overdue ? "overdue" : ""}">
      <td>${CD.esc(CD.fmtDateTime(t.due_at))}${late}</td>
      <td>${CD.esc(t.description)} <span class="muted">(attempt ${t.attempt} of ${t.attempts_allowed})</span>
        <span class="block muted">Incident ${CD.esc(t.incident_id)} · ${CD.esc(t.owner || CD.label(t.owner_role))}</span></td>
      <td><form class="fu-outcome" data-id="${CD.esc(t.id)}">
        <label for="fu-result-${CD.esc(t.id)}" class="sr-only">Outcome of ${CD.esc(t.id)}</label>
        <select id="fu-result-${CD.esc(t.id)}" name="result"><option value="">Choose…</option>${options}</select>
        <button type="submit">Record</button></form></td></tr>`;
  }

  async function load() {
    try {
      const tasks = await CD.api("/follow-ups?status=open&limit=100");
      $("fu-count").textContent = tasks.length ? `(${tasks.length} open, ${tasks.filter((t) => t.overdue).length} overdue)` : "";
      body.innerHTML = tasks.length ? tasks.map(row).join("") : `<tr><td colspan="3" class="muted">No open follow-ups.</td></tr>`;
      tasks.filter((t) => t.overdue).forEach(alertOverdue);
    } catch (e) { body.innerHTML = `<tr><td colspan="3" class="muted">Follow-ups unavailable: ${CD.esc(e.detail)}</td></tr>`; }
  }

  body.addEventListener("submit", async (e) => {
    const form = e.target.closest("form.fu-outcome");
    if (!form) return;
    e.preventDefault();
    const msg = $("fu-msg"), result = form.elements.result.value;
    if (!result) { msg.className = "msg error"; msg.textContent = "Choose what came of the follow-up."; return; }
    try {
      const done = await CD.api(`/follow-ups/${encodeURIComponent(form.dataset.id)}/outcome`, { method: "POST", body: { result } });
      msg.className = "msg ok";
      msg.textContent = `${done.id}: ${CD.label(done.result)} recorded` + (done.retry ? `; attempt ${done.retry.attempt} due ${CD.fmtDateTime(done.retry.due_at)}.` : ".");
      await load();
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not recorded: ${err.detail}`; }
  });
  document.addEventListener("cd:incident-closed", load);
  load();
  setInterval(load, 30000);
})();
