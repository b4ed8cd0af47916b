// The dispatcher's "Hold transport" form (issue 14): a person already on a hold written by
// others, moved by a crisis van to a designated facility. The server checks the request
// (72 h from first detention, age and hold type, a facility that accepts holds); this page
// only shows the time left as the dispatcher types and lists the designated facilities.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("hold-form");
  if (!form) return;  // roles that may not take calls have no form
  const HOLD_MS = 72 * 3600000;
  const ACCEPTS_HOLDS = "accepts_5150_holds";
  let loaded = false;

  async function loadFacilities() {
    if (loaded) return;
    const sel = form.elements.destination_facility_id;
    try {
      const all = await CD.api("/facilities");
      const designated = all.filter((f) => (f.capabilities || []).includes(ACCEPTS_HOLDS));
      sel.innerHTML = `<option value="">Choose the facility…</option>` + designated.map((f) =>
        `<option value="${CD.esc(f.id)}" data-accepts="${CD.esc(f.accepts)}">${CD.esc(f.name)}${f.address ? " — " + CD.esc(f.address) : ""}</option>`).join("");
      loaded = true;
    } catch (e) { sel.innerHTML = `<option value="">Facilities unavailable: ${CD.esc(e.detail)}</option>`; }
  }
  $("hold-transport").addEventListener("toggle", () => { if ($("hold-transport").open) loadFacilities(); });

  function iso(name) {
    const v = form.elements[name].value;
    return v ? new Date(v).toISOString() : null;
  }
  function showExpiry() {
    const detained = iso("first_detained_at"), out = $("ht-expiry");
    if (!detained) { out.textContent = "Expires: —"; out.className = "expiry"; return; }
    const expires = Date.parse(detained) + HOLD_MS, left = expires - CD.now();
    out.textContent = left > 0
      ? `Expires ${CD.fmtDateTime(new Date(expires).toISOString())}: ${CD.fmtDur(left)} left (72 hours from first detention)`
      : `Expired ${CD.fmtDateTime(new Date(expires).toISOString())}: a transport cannot be requested on an expired hold`;
    out.className = "expiry" + (left > 0 ? "" : " error");
  }
  form.elements.first_detained_at.addEventListener("input", showExpiry);
  setInterval(showExpiry, 30000);

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const msg = $("ht-msg"), v = (name) => form.elements[name].value.trim();
    const lat = parseFloat(v("lat")), lon = parseFloat(v("lon"));
    const problems = [];
    if (!v("hold_type")) problems.push("the hold (5150 or 5585)");
    if (!iso("first_detained_at")) problems.push("when the person was first detained");
    if (!iso("written_at")) problems.push("when the application was written");
    if (isNaN(lat) || isNaN(lon)) problems.push("where the person is (latitude and longitude)");
    if (!v("destination_facility_id")) problems.push("the designated facility");
    if (problems.length) { msg.className = "msg error"; msg.textContent = `Give ${problems.join(", ")}.`; return; }
    const body = {
      hold_type: v("hold_type"),
      writer: { kind: v("writer_kind"), name: v("writer_name"), agency: v("writer_agency"), credential: v("writer_credential"), designation: v("writer_designation") },
      first_detained_at: iso("first_detained_at"),
      written_at: iso("written_at"),
      criteria: [...form.querySelectorAll('input[name="criteria"]:checked')].map((c) => c.value),
      pickup: { kind: v("pickup_kind"), name: v("pickup_name"), address: v("address"), lat, lon },
      destination_facility_id: v("destination_facility_id"),
      subject_description: v("subject_description"),
      facts: v("facts"),
    };
    if (v("subject_age") !== "") body.subject_age = parseInt(v("subject_age"), 10);
    $("ht-submit").disabled = true;
    try {
      const inc = await CD.api("/hold-transports", { method: "POST", body });
      const ht = inc.hold_transport;
      msg.className = "msg ok";
      msg.textContent = `${inc.id} created: hold transport to ${ht.destination.name}, ${CD.label(inc.status)}; ${CD.fmtDur(ht.minutes_left * 60000)} left on the hold.`;
      form.reset(); showExpiry();
      document.dispatchEvent(new CustomEvent("cd:incident-created", { detail: inc.id }));
    } catch (err) { msg.className = "msg error"; msg.textContent = `Not created: ${err.detail}`; }
    finally { $("ht-submit").disabled = false; }
  });
})();
