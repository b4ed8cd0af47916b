// The CARE Court liaison's board (issue 14 item 4): CARE matters from /api/v1/care-petitions,
// each with its stage and the deadline running in words; overdue ones marked. The server
// counts the court days (WIC 5977) and checks every stage; this page only shows and sends.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const LABELS = JSON.parse(document.querySelector(".care-board").dataset.stageLabels || "{}");
  let matters = [];

  function deadline(p) {
    if (!p.due) return p.result ? `Ended: ${CD.esc(p.result)}` : '<span class="muted">none running</span>';
    return p.due.overdue
      ? `<span class="badge clock-late overdue">Overdue</span> ${CD.esc(p.due.words)}`
      : CD.esc(p.due.words);
  }
  function lastDate(p) {
    const s = p.stages[p.stages.length - 1];
    return s ? s.on : p.prepared_at.slice(0, 10);
  }
  function render() {
    const onlyOverdue = $("care-overdue-only").checked;
    const shown = onlyOverdue ? matters.filter((p) => p.due && p.due.overdue) : matters;
    $("care-count").textContent = `${shown.length} of ${matters.length} matters`;
    $("care-body").innerHTML = shown.length ? shown.map((p) => `
      <tr data-id="${CD.esc(p.id)}"${p.due && p.due.overdue ? ' class="overdue"' : ""}>
        <td>${CD.esc(p.id)}<br><span class="small muted">from ${CD.esc(p.incident_id)}</span></td>
        <td>${CD.esc(p.respondent.name)}, ${CD.esc(p.respondent.age)}<br><span class="small muted">lives in ${CD.esc(p.respondent.county_of_residence)}</span></td>
        <td>${CD.esc(p.county)}</td>
        <td data-field="stage">${CD.esc(LABELS[p.stage] || p.stage)}<br><span class="small muted">${CD.esc(lastDate(p))}</span></td>
        <td data-field="due">${deadline(p)}</td>
        <td>${p.grounds.map((g) => CD.esc(CD.label(g))).join("; ")}</td>
      </tr>`).join("")
      : `<tr><td class="muted" colspan="6">${onlyOverdue ? "No matter is overdue." : "No CARE matter yet."}</td></tr>`;
    const sel = $("stage-petition");
    if (sel) {
      const was = sel.value;
      sel.innerHTML = '<option value="">Choose a petition…</option>' + matters.filter((p) => !p.result).map((p) =>
        `<option value="${CD.esc(p.id)}">${CD.esc(p.id)} — ${CD.esc(p.respondent.name)} (${CD.esc(LABELS[p.stage] || p.stage)})</option>`).join("");
      sel.value = was;
    }
  }
  async function load() {
    try { matters = await CD.api("/care-petitions"); $("care-error").textContent = ""; }
    catch (e) { $("care-error").textContent = `Could not load the CARE matters: ${e.detail}`; matters = []; }
    render();
  }
  $("care-overdue-only").addEventListener("change", render);

  const form = $("stage-form");
  if (form) {
    const today = new Date(CD.now());
    form.elements.on.value = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, "0")}-${String(today.getDate()).padStart(2, "0")}`;
    form.elements.stage.addEventListener("change", () => { $("stage-result").hidden = form.elements.stage.value !== "graduation_or_dismissal"; });
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const f = form.elements, msg = $("stage-msg");
      const problems = [];
      if (!f.petition_id.value) problems.push("the petition");
      if (!f.stage.value) problems.push("the stage");
      if (!f.on.value) problems.push("its date");
      if (problems.length) { msg.className = "msg error"; msg.textContent = `Choose ${problems.join(", ")}.`; return; }
      const body = { stage: f.stage.value, on: f.on.value };
      const result = form.querySelector("input[name=result]:checked");
      if (result) body.result = result.value;
      $("stage-submit").disabled = true;
      try {
        const p = await CD.api(`/care-petitions/${encodeURIComponent(f.petition_id.value)}/stages`, { method: "POST", body });
        msg.className = "msg ok";
        msg.textContent = `${p.id}: ${LABELS[p.stage] || p.stage} recorded.` + (p.due ? ` ${p.due.words}.` : "");
        f.stage.value = ""; $("stage-result").hidden = true;
        await load();
      } catch (err) { msg.className = "msg error"; msg.textContent = `Not recorded: ${err.detail}`; }
      finally { $("stage-submit").disabled = false; }
    });
  }
  // The feed sends court liaisons no status events (they cannot be told apart as CARE
  // matters); its hello marks the page live, and the list reloads every minute.
  CD.connect({ hello: () => load() });
  setInterval(load, 60000);
})();
