// The map: an offline basemap drawn from our own open data (LA County outline and
// neighbourhood polygons, LAFD stations, facilities) with incidents and vans on top.
// No tile server: nothing is fetched from the internet.
"use strict";
// Facilities are lettered squares (never the clock colours of incidents).
const FACILITY = {
  emergency_department: { letter: "H", name: "emergency department" },
  psychiatric_urgent_care: { letter: "U", name: "psychiatric urgent care" },
  sobering_center: { letter: "S", name: "sobering centre" },
  crisis_residential: { letter: "R", name: "crisis residential" },
  other: { letter: "?", name: "other facility" },
};
CD.makeMap = function (elementId, opts = {}) {
  const map = L.map(elementId, { zoomControl: true, attributionControl: true, preferCanvas: true }).setView([34.05, -118.33], 10);
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Neighbourhoods: Zillow (CC BY-SA) · Counties: US Census · Stations: LAFD");
  const layers = {
    incidents: L.layerGroup().addTo(map),
    units: L.layerGroup().addTo(map),
    reference: L.layerGroup().addTo(map),
  };
  const stationsById = {};
  let callMarker = null;
  (CD.maps = CD.maps || {})[elementId] = map;  // for the browser tests: where a marker is on screen
  let moved = false;
  map.once("dragstart zoomstart", () => { moved = true; });

  CD.api("/basemap").then((geo) => {
    L.geoJSON(geo.county, { interactive: false, style: { color: "#44546a", weight: 2, fill: true, fillColor: "#f7f5ef", fillOpacity: 1 } }).addTo(map).bringToBack();
    const hoods = L.geoJSON(geo.neighborhoods, {
      style: { color: "#9aa5b1", weight: 0.7, fillColor: "#eef0e6", fillOpacity: 0.9 },
      onEachFeature: (f, layer) => layer.bindTooltip(CD.esc(f.properties.name), { sticky: true, className: "hood-tip" }),
    }).addTo(map);
    // Fit the service area (every neighbourhood, the north Valley included) unless the user moved the map.
    if (!moved && hoods.getBounds().isValid()) map.fitBounds(hoods.getBounds(), { padding: [4, 4], animate: false });
    for (const g of Object.values(layers)) g.eachLayer((l) => l.bringToFront && l.bringToFront());
  }).catch(() => {});

  if (opts.reference !== false) {
    CD.api("/stations").then((stations) => {
      for (const s of stations) {
        stationsById[s.id] = s;
        L.circleMarker([s.lat, s.lon], { radius: 3, color: "#52606d", weight: 1, fillColor: "#ffffff", fillOpacity: 1, bubblingMouseEvents: false })
          .bindTooltip(CD.esc(s.name)).addTo(layers.reference);
      }
      if (opts.onStations) opts.onStations(stationsById);
    }).catch(() => {});
    CD.api("/facilities").then((facilities) => {
      for (const f of facilities) {
        const kind = FACILITY[f.type] || FACILITY.other;
        const icon = L.divIcon({ className: "fac-icon", html: `<span class="fac-${CD.esc(f.type)}">${kind.letter}</span>`, iconSize: null });
        L.marker([f.lat, f.lon], { icon, keyboard: false, title: `${f.name} (${kind.name})` })
          .bindTooltip(`${CD.esc(f.name)}<br><small>${CD.esc(kind.name)}${f.address ? ` · ${CD.esc(f.address)}` : ""}</small>`).addTo(layers.reference);
      }
    }).catch(() => {});
  }

  // Only a click on the bare map places a call: a click on an incident, a van, a station or
  // a facility never reaches the map (bubblingMouseEvents: false), so it cannot write that
  // marker's coordinates into the new-call form.
  if (opts.onClick) map.on("click", (e) => opts.onClick(e.latlng.lat, e.latlng.lng));

  const clockColor = { ok: "#1d6f42", amber: "#b35c00", red: "#c81e1e", breached: "#7a0000" };
  // The legend: incidents are circles coloured by their clock, vans labelled boxes coloured by
  // status, facilities lettered squares, stations small white dots. Shape and text, never only colour.
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const div = L.DomUtil.create("div", "map-legend");
    div.setAttribute("role", "note");
    div.setAttribute("aria-label", "Map legend");
    const dot = (c) => `<span class="lg-dot" style="background:${c}"></span>`;
    div.innerHTML = `<details${map.getSize().x > 560 ? " open" : ""}><summary>Legend</summary><ul>
      <li>${dot(clockColor.ok)} incident, clock ok</li><li>${dot(clockColor.amber)} clock amber (half used)</li>
      <li>${dot(clockColor.red)} clock red (three quarters)</li><li>${dot(clockColor.breached)} clock breached</li>
      <li>${dot("#1f5fa8")} incident, no team clock</li>
      <li><span class="van-icon"><span style="background:#243b53">TTP</span></span> van (colour: status)</li>
      ${Object.values(FACILITY).filter((k) => k.letter !== "?").map((k) => `<li><span class="fac-icon"><span>${k.letter}</span></span> ${CD.esc(k.name)}</li>`).join("")}
      <li><span class="lg-station"></span> fire station</li></ul></details>`;
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  legend.addTo(map);
  function setIncidents(list, selectedId, onSelect) {
    layers.incidents.clearLayers();
    for (const inc of list) {
      // Analysts get an area of about 1 km; a location to confirm has no place on the map yet.
      const at = CD.placed(inc.location) ? inc.location : CD.placed(inc.area) ? inc.area : null;
      if (!at) continue;
      const color = clockColor[inc._clock] || "#1f5fa8";
      const m = L.circleMarker([at.lat, at.lon], {
        radius: inc.id === selectedId ? 11 : 8, color: inc.id === selectedId ? "#111" : "#fff", weight: 2, fillColor: color, fillOpacity: 0.95,
        bubblingMouseEvents: false,
      }).bindTooltip(`${CD.esc(inc.id)} · ${CD.esc(inc.tier || "")} · ${CD.esc(CD.label(inc.status))}`);
      if (onSelect) m.on("click", (e) => { L.DomEvent.stopPropagation(e); onSelect(inc.id); });
      m.addTo(layers.incidents);
    }
  }
  const unitColor = { available: "#243b53", dispatched: "#1f5fa8", en_route: "#1f5fa8", on_scene: "#6b2fa0", transporting: "#8f4700", at_destination: "#8f4700" };
  function unitPosition(u) {
    if (u.position) return [u.position.lat, u.position.lon];
    const s = stationsById[u.station_id];
    return s ? [s.lat, s.lon] : null;
  }
  function setUnits(list) {
    layers.units.clearLayers();
    for (const u of list) {
      const pos = unitPosition(u);
      if (!pos) continue;
      const icon = L.divIcon({ className: "van-icon", html: `<span style="background:${unitColor[u.status] || "#52606d"}">${CD.esc(u.call_sign)}</span>`, iconSize: null });
      L.marker(pos, { icon, keyboard: false, title: `${u.call_sign}: ${CD.label(u.status)}` }).addTo(layers.units);
    }
  }
  function placeCall(lat, lon) {
    if (callMarker) callMarker.remove();
    callMarker = L.circleMarker([lat, lon], { radius: 9, color: "#111", weight: 2, dashArray: "3", fillColor: "#ffd43b", fillOpacity: 0.9 }).bindTooltip("new call").addTo(map);
  }
  function clearCall() { if (callMarker) { callMarker.remove(); callMarker = null; } }
  return { map, setIncidents, setUnits, placeCall, clearCall, stationsById, unitPosition };
};
