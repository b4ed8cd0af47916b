// The crew phone's "Warm hand-off" card (issue 14 item 3): once the team has reached the person
// (on scene or later), hand them to a provider of the directory, then record the provider's
// answer (accepted or declined, and who gave it). The server checks the rest.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const card = $("hand-off-card");
  if (!card) return;
  const SEEN = new Set(["on_scene", "transporting", "at_destination"]);
  let incident = null, pending = null, providersLoaded = false;

  async function loadProviders() {
    if (providersLoaded) return;
    const sel = $("ho-provider");
    try {
      const all = await CD.api("/providers");
      sel.innerHTML = `<option value="">Choose the provider…</option>` +
        all.map((p) => `<option value="${CD.esc(p.id)}">${CD.esc(p.name)}${p.phone ? " — " + CD.esc(p.phone) : ""}</option>`).join("");
      providersLoaded = true;
    } catch (e) { sel.innerHTML = `<option value="">Providers unavailable: ${CD.esc(e.detail)}</option>`; }
  }

  function showAnswer(h) {
    pending = h;
    $("ho-offer-form").hidden = !!h;
    $("ho-answer-form").hidden = !h;
    if (h) $("ho-offered").textContent = `Offered to ${h.provider_name} (${h.contact}) at ${CD.fmtTime(h.offered_at)}.`;
  }

  function watch() {
    const id = $("asg-id") ? $("asg-id").textContent.trim() : "";
    const status = $("asg-status") ? $("asg-status").className.replace(/.*st-(\S+).*/, "$1") : "";
    const show = !!id && SEEN.has(status);
    if (id !== incident) { incident = id; showAnswer(null); $("ho-msg").textContent = ""; }
    card.hidden = !show;
    if (show) loadProviders();
  }

  $("ho-offer-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const msg = $("ho-msg"), provider_id = $("ho-provider").value, contact = $("ho-contact").value.trim();
    if (!provider_id || !contact) { msg.className = "msg error"; msg.textContent = "Choose the provider and say who you spoke to."; return; }
    try {
      const h = await CD.api(`/incidents/${encodeURIComponent(incident)}/hand-offs`, { method: "POST", body: { provider_id, contact } });
      msg.className = "msg ok"; msg.textContent = `Hand-off offered to ${h.provider_name}.`;
      $("ho-contact").value = "";
      showAnswer(h);
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not recorded: ${err.detail}`; }
  });

  async function answer(accepted) {
    const msg = $("ho-msg"), responder_name = $("ho-responder").value.trim();
    if (!responder_name) { msg.className = "msg error"; msg.textContent = "Give the name of who answered at the provider."; return; }
    try {
      const h = await CD.api(`/hand-offs/${encodeURIComponent(pending.id)}/response`, { method: "POST", body: { accepted, responder_name } });
      msg.className = "msg ok";
      msg.textContent = `${h.provider_name} ${h.status} the hand-off (${h.responder_name}, ${CD.fmtTime(h.responded_at)}).`;
      $("ho-responder").value = "";
      showAnswer(null);
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not recorded: ${err.detail}`; }
  }
  $("ho-accepted").addEventListener("click", () => answer(true));
  $("ho-declined").addEventListener("click", () => answer(false));
  watch();
  setInterval(watch, 1000);
})();
