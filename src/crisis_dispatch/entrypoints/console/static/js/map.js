// The map: an offline basemap drawn from our own open data (LA County outline and
// neighbourhood polygons, LAFD stations, facilities) with incidents and vans on top.
// No tile server: nothing is fetched from the internet.
"use strict";
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

  CD.api("/basemap").then((geo) => {
    L.geoJSON(geo.county, { interactive: false, style: { color: "#44546a", weight: 2, fill: true, fillColor: "#f7f5ef", fillOpacity: 1 } }).addTo(map).bringToBack();
    L.geoJSON(geo.neighborhoods, {
      style: { color: "#9aa5b1", weight: 0.7, fillColor: "#eef0e6", fillOpacity: 0.9 },
      onEachFeature: (f, layer) => layer.bindTooltip(CD.esc(f.properties.name), { sticky: true, className: "hood-tip" }),
    }).addTo(map);
    for (const g of Object.values(layers)) g.eachLayer((l) => l.bringToFront && l.bringToFront());
  }).catch(() => {});

  if (opts.reference !== false) {
    CD.api("/stations").then((stations) => {
      for (const s of stations) {
        stationsById[s.id] = s;
        L.circleMarker([s.lat, s.lon], { radius: 3, color: "#52606d", weight: 1, fillColor: "#ffffff", fillOpacity: 1 })
          .bindTooltip(CD.esc(s.name)).addTo(layers.reference);
      }
      if (opts.onStations) opts.onStations(stationsById);
    }).catch(() => {});
    const facilityColor = { psychiatric_urgent_care: "#6b2fa0", sobering_center: "#0b7285", emergency_department: "#b42318", crisis_residential: "#2b8a3e", other: "#52606d" };
    CD.api("/facilities").then((facilities) => {
      for (const f of facilities) {
        L.circleMarker([f.lat, f.lon], { radius: 5, color: "#1f2933", weight: 1, fillColor: facilityColor[f.type] || "#52606d", fillOpacity: 0.9 })
          .bindTooltip(`${CD.esc(f.name)}<br><small>${CD.esc(CD.label(f.type))}</small>`).addTo(layers.reference);
      }
    }).catch(() => {});
  }

  if (opts.onClick) map.on("click", (e) => opts.onClick(e.latlng.lat, e.latlng.lng));

  const clockColor = { ok: "#1d6f42", amber: "#b35c00", red: "#c81e1e", breached: "#7a0000" };
  function setIncidents(list, selectedId, onSelect) {
    layers.incidents.clearLayers();
    for (const inc of list) {
      const at = inc.location || inc.area; // analysts get an area of about 1 km
      if (!at) continue;
      const color = clockColor[inc._clock] || "#1f5fa8";
      const m = L.circleMarker([at.lat, at.lon], {
        radius: inc.id === selectedId ? 11 : 8, color: inc.id === selectedId ? "#111" : "#fff", weight: 2, fillColor: color, fillOpacity: 0.95,
      }).bindTooltip(`${CD.esc(inc.id)} · ${CD.esc(inc.tier || "")} · ${CD.esc(CD.label(inc.status))}`);
      if (onSelect) m.on("click", () => onSelect(inc.id));
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
