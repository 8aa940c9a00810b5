/* The offline base map: administrative boundaries shipped with Zhengtu (no tile server needed).
   Drawn under every Leaflet map when no external tile source is configured. */
(function () {
  "use strict";
  var script = document.currentScript;
  var infoUrl = script && script.dataset.basemap;
  var cached = null;

  function load() {
    if (!cached) {
      cached = fetch(infoUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (info) {
        return Promise.all(info.files.map(function (url) { return fetch(url).then(function (r) { return r.json(); }); }))
          .then(function (collections) { return { info: info, collections: collections }; });
      });
    }
    return cached;
  }

  function isDefaultView(map, initial) {
    var c = map.getCenter();
    return map.getZoom() === initial.zoom && Math.abs(c.lat - initial.lat) < 1e-6 && Math.abs(c.lng - initial.lng) < 1e-6;
  }

  function addStyle() {
    if (document.getElementById("basemap-style")) return;
    var style = document.createElement("style");
    style.id = "basemap-style";
    style.textContent = ".offline-basemap{background:#cfe0ee}.basemap-label{background:transparent;border:none;box-shadow:none;color:#1d4e89;font-weight:600}.basemap-label:before{display:none}";
    document.head.appendChild(style);
  }

  function addTo(map, options) {
    if (!infoUrl || !window.L) return;
    var fit = !options || options.fit !== false;  // a map centred on one place (an alert) keeps its view
    addStyle();
    var start = map.getCenter(), initial = { lat: start.lat, lng: start.lng, zoom: map.getZoom() };
    map.getContainer().classList.add("offline-basemap");
    var pane = map.createPane("basemap");
    pane.style.zIndex = 200;
    load().then(function (data) {
      var focus = {}; data.info.focus.forEach(function (code) { focus[code] = true; });
      var focusBounds = null;
      data.collections.forEach(function (collection) {
        L.geoJSON(collection, {
          pane: "basemap",
          interactive: false,
          style: function (feature) {
            var p = feature.properties, inFocus = !!focus[p.code];
            if (p.level === "province") return { color: "#8fa3b8", weight: 1.2, fillColor: "#eef2f6", fillOpacity: 1 };
            return { color: inFocus ? "#1d4e89" : "#9fb1c3", weight: inFocus ? 2 : 0.8, fillColor: inFocus ? "#dde9f7" : "#f4f7fa", fillOpacity: 1 };
          },
          onEachFeature: function (feature, layer) {
            var p = feature.properties;
            if (p.level === "county") {
              layer.bindTooltip(p.name, { permanent: !!focus[p.code], direction: "center", className: "basemap-label" });
              if (focus[p.code]) focusBounds = focusBounds ? focusBounds.extend(layer.getBounds()) : L.latLngBounds(layer.getBounds().getSouthWest(), layer.getBounds().getNorthEast());
            }
          },
        }).addTo(map);
      });
      if (fit && focusBounds && isDefaultView(map, initial)) map.fitBounds(focusBounds.pad(0.05));
    });
  }

  window.ZhengtuBaseMap = { addTo: addTo };
})();
