// The crew's "Prepare CARE petition" form (issue 14 item 4), from the incident on screen
// (#asg-id). The server checks the form (an adult, every criterion attested, the 60 days of
// evidence) and names the petitioner from the login; this page only sends and lists.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("care-form");
  if (!form) return;

  async function mine() {
    try {
      const list = await CD.api("/care-petitions");
      $("cp-mine").innerHTML = list.length ? list.map((p) =>
        `<li data-id="${CD.esc(p.id)}"><strong>${CD.esc(p.id)}</strong> ${CD.esc(p.respondent.name)}: ${CD.esc(CD.label(p.stage))}${p.due ? ` — ${CD.esc(p.due.words)}` : ""}</li>`).join("")
        : '<li class="muted">None yet.</li>';
    } catch (e) { $("cp-mine").innerHTML = `<li class="error">${CD.esc(e.detail)}</li>`; }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = form.elements, msg = $("cp-msg");
    const incident = ($("asg-id") && $("asg-id").textContent.trim()) || "";
    if (!incident) { msg.className = "msg error"; msg.textContent = "No incident on screen: a petition is prepared from an encounter."; return; }
    const checked = (name) => [...form.querySelectorAll(`input[name=${name}]:checked`)].map((c) => c.value);
    const body = {
      respondent: { name: f.name.value.trim(), age: parseInt(f.age.value, 10), county_of_residence: f.county_of_residence.value.trim() },
      county: f.county.value.trim(),
      facts: f.facts.value.trim(),
      criteria: checked("criteria"),
      grounds: checked("grounds"),
      evidence_incident_ids: f.evidence.value.split(/[\s,]+/).filter(Boolean),
    };
    const problems = [];
    if (!body.respondent.name) problems.push("the respondent's name");
    if (isNaN(body.respondent.age)) problems.push("the respondent's age");
    if (!body.facts) problems.push("the facts");
    if (problems.length) { msg.className = "msg error"; msg.textContent = `Give ${problems.join(", ")}.`; return; }
    $("cp-submit").disabled = true;
    try {
      const p = await CD.api(`/incidents/${encodeURIComponent(incident)}/care-petitions`, { method: "POST", body });
      msg.className = "msg ok";
      msg.textContent = `${p.id} prepared from ${p.incident_id}: petitioner ${p.petitioner.name}; ${p.evidence_count} encounter${p.evidence_count === 1 ? "" : "s"} in the evidence bundle.`;
      form.reset();
      await mine();
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not prepared: ${err.detail}`; }
    finally { $("cp-submit").disabled = false; }
  });
  mine();
})();
