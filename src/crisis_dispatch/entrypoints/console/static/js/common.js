// Shared helpers of the console pages: API calls, the server's clock, the live feed.
// Plain JavaScript, no build step; everything the pages show comes from /api/v1.
"use strict";
window.CD = (function () {
  class ApiError extends Error {
    constructor(status, detail) { super(detail); this.status = status; this.detail = detail; }
  }

  let leaving = false;
  window.addEventListener("beforeunload", () => { leaving = true; });
  document.addEventListener("submit", (e) => { if (e.target.matches("form.logout")) leaving = true; });
  window.addEventListener("pageshow", () => { leaving = false; });

  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrfToken = csrfMeta ? csrfMeta.getAttribute("content") : "";

  async function api(path, opts = {}) {
    const init = { method: opts.method || "GET", credentials: "same-origin", headers: Object.assign({ Accept: "application/json" }, opts.headers || {}) };
    if (opts.body !== undefined) { init.body = JSON.stringify(opts.body); init.headers["Content-Type"] = "application/json"; }
    // A change made with the session cookie carries the page's CSRF token (the server checks it).
    if (init.method !== "GET" && init.method !== "HEAD" && csrfToken) init.headers["X-CSRF-Token"] = csrfToken;
    const r = await fetch("/api/v1" + path, init);
    if (r.status === 401) {
      // The session ended (expired, or logged out elsewhere): log in again -- unless this
      // page is already leaving (the user pressed "Log out").
      if (!leaving) window.location.href = "/login?next=" + encodeURIComponent(window.location.pathname);
      throw new ApiError(401, "not logged in");
    }
    if (r.status === 204) return null;
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) {
      const detail = data && data.detail ? (typeof data.detail === "string" ? data.detail : JSON.stringify(data.detail)) : r.statusText;
      const err = new ApiError(r.status, detail);
      err.error = data && data.error;  // the API's error name, e.g. "OutsideServiceArea"
      // A route that does not exist yet answers FastAPI's bare {"detail": "Not Found"}.
      err.missingRoute = r.status === 404 && data && data.detail === "Not Found" && !data.error;
      throw err;
    }
    return data;
  }

  // The server's time drives every clock on screen, at the server clock's rate: tests run the
  // server on a fake clock, the demo on one sped up as much as its feed.
  let serverAt = Date.now(), localAt = Date.now(), rate = 1;
  function setServerNow(iso, r) {
    if (iso) { serverAt = Date.parse(iso); localAt = Date.now(); }
    if (r > 0) rate = Number(r);
  }
  function now() { return serverAt + (Date.now() - localAt) * rate; }
  setServerNow(document.body && document.body.dataset.serverNow, document.body && parseFloat(document.body.dataset.clockRate));

  function esc(v) {
    return String(v === null || v === undefined ? "" : v).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function label(v) { return v ? String(v).replace(/_/g, " ") : ""; }
  // Durations always say their unit: "45 s", "21 min", "3 h 05 min" (never a bare "0:21").
  function fmtDur(ms) {
    if (ms === null || ms === undefined || isNaN(ms)) return "—";
    const neg = ms < 0; ms = Math.abs(ms);
    const m = Math.floor(ms / 60000), s = Math.floor((ms % 60000) / 1000);
    const out = m >= 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")} min` : m >= 1 ? `${m} min` : `${s} s`;
    return neg ? "-" + out : out;
  }
  // Where an incident is, in plain words: its address, else its coordinates to 4 decimals
  // (about 10 m), else that the location is still to confirm.
  function place(inc, digits) {
    if (inc.address) return inc.address;
    const loc = inc.location;
    return placed(loc) ? `${loc.lat.toFixed(digits || 4)}, ${loc.lon.toFixed(digits || 4)}` : loc ? "location to confirm" : "—";
  }
  function fmtTime(iso) {
    if (!iso) return "—";
    const d = new Date(iso);
    return d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }
  function fmtDateTime(iso) {
    if (!iso) return "—";
    return new Date(iso).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  }
  // An incident the CAD sent with an address we could not place has no coordinates.
  function placed(loc) { return !!loc && loc.lat != null && loc.lon != null; }
  function where(inc, digits) {
    const loc = inc.location;
    const text = inc.address || (placed(loc) ? place(inc, digits) : "address not given");
    return esc(text) + (placed(loc) || !loc ? "" : ' <span class="badge unconfirmed location-to-confirm">location to confirm</span>');
  }
  function km(a, b) {
    if (!placed(a) || !placed(b)) return null;
    const R = 6371, rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * R * Math.asin(Math.sqrt(h));
  }
  function debounce(fn, ms) {
    let t = null;
    return function (...args) { clearTimeout(t); t = setTimeout(() => fn.apply(this, args), ms); };
  }
  // At most one call per `ms`, and always one after the last request (live feeds are bursty).
  function throttle(fn, ms) {
    let last = 0, timer = null;
    return function (...args) {
      const wait = last + ms - Date.now();
      if (timer) return;
      timer = setTimeout(() => { timer = null; last = Date.now(); fn.apply(this, args); }, Math.max(wait, 0));
    };
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }

  // The live feed: Server-Sent Events from /api/v1/events (the browser resumes with Last-Event-ID).
  function connect(handlers) {
    const liveText = document.getElementById("live-text");
    const live = document.getElementById("live");
    const setLive = (state, text) => { if (live) live.dataset.state = state; if (liveText) liveText.textContent = text; };
    const es = new EventSource("/api/v1/events");
    es.addEventListener("hello", (e) => { const d = JSON.parse(e.data); setServerNow(d.now, d.rate); setLive("on", "live"); handlers.hello && handlers.hello(d); });
    es.addEventListener("status", (e) => { handlers.status && handlers.status(JSON.parse(e.data)); });
    es.addEventListener("checkins", (e) => { const d = JSON.parse(e.data); setServerNow(d.now); handlers.checkins && handlers.checkins(d); });
    es.addEventListener("tick", (e) => { const d = JSON.parse(e.data); setServerNow(d.now, d.rate); handlers.tick && handlers.tick(d); });
    es.addEventListener("logout", () => { es.close(); window.location.href = "/login"; });
    es.onerror = () => setLive("off", "reconnecting…");
    return es;
  }

  return { api, ApiError, setServerNow, now, esc, label, fmtDur, place, fmtTime, fmtDateTime, km, placed, where, debounce, throttle, uuid, connect };
})();
