/* The alert detail's small map: the place the alert was raised, on the offline base map or the configured tiles. */
(function () {
  "use strict";
  var element = document.getElementById("alert-location-map");
  if (!element || !window.L) return;
  var source = JSON.parse(document.getElementById("alert-map-tiles").textContent);
  var point = element.dataset.point.split(",").map(parseFloat);
  var map = L.map(element).setView(point, 13);
  if (source.url) {
    L.tileLayer(source.url, source.subdomains ? { subdomains: source.subdomains, attribution: source.attribution } : { attribution: source.attribution }).addTo(map);
  } else if (window.ZhengtuBaseMap) {
    window.ZhengtuBaseMap.addTo(map, { fit: false });
  }
  L.circleMarker(point, { radius: 10, color: "#b42318", weight: 3, fillOpacity: 0.4 }).addTo(map);
})();
