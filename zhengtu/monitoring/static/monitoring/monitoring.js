/* Zhengtu monitoring maps: command center (live), track playback, fence drawing. No framework. */
(function () {
  "use strict";
  var KIND_COLORS = { inclusion: "#1d4e89", exclusion: "#b42318" };

  function tiles() { return JSON.parse(document.getElementById("monitoring-tiles").textContent); }

  function baseMap(element) {
    var source = tiles();
    var map = L.map(element, { preferCanvas: true }).setView([27.9, 110.6], 11);
    if (source.url) {
      var options = { attribution: source.attribution, maxZoom: 18 };
      if (source.subdomains) options.subdomains = source.subdomains;
      L.tileLayer(source.url, options).addTo(map);
    } else if (window.ZhengtuBaseMap) {
      window.ZhengtuBaseMap.addTo(map);  // offline boundaries (zhengtu/command/static/command/basemap.js)
    }
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  function text(value) { var span = document.createElement("span"); span.textContent = value == null ? "" : String(value); return span.innerHTML; }
  function when(iso) { if (iso == null || iso === "") return ""; var d = new Date(iso); return d.toLocaleString("zh-CN", { hour12: false }); }

  function drawFence(fence, layer) {
    var style = { color: KIND_COLORS[fence.kind] || "#1d4e89", weight: 2, fillOpacity: fence.kind === "exclusion" ? 0.2 : 0.05, dashArray: fence.scheduled ? "6 4" : null };
    var shape = fence.shape === "circle" && fence.center ? L.circle(fence.center, Object.assign({ radius: fence.radius_m }, style)) : L.polygon(fence.polygons || [], style);
    shape.bindTooltip(text(fence.name) + " · " + text(fence.kind_label) + (fence.schedule ? " · " + text(fence.schedule) : ""));
    shape.addTo(layer);
    return shape;
  }

  function commandMap(element) {
    var map = baseMap(element);
    var fences = L.layerGroup().addTo(map), people = L.layerGroup().addTo(map), alertLayer = L.layerGroup().addTo(map);
    var markers = {}, alertList = document.getElementById("alert-list"), peopleList = document.getElementById("people-list");
    var status = document.getElementById("live-status");

    function markerFor(item) {
      var key = item.device_id;
      var color = item.device_kind === "phone" ? "#1f7a4d" : "#1d4e89";
      if (!item.point) return;
      if (!markers[key]) {
        markers[key] = L.circleMarker(item.point, { radius: 7, color: "#fff", weight: 2, fillColor: color, fillOpacity: 0.95 }).addTo(people);
      } else {
        markers[key].setLatLng(item.point);
      }
      markers[key].bindTooltip(text(item.supervisee_name) + (item.time || item.fix_time ? " · " + when(item.time || item.fix_time) : ""));
    }

    function addAlert(alert, fresh) {
      var empty = alertList.querySelector(".empty-item"); if (empty) empty.remove();
      var li = document.createElement("li");
      li.dataset.id = alert.id;
      if (fresh) li.className = "fresh";
      li.innerHTML = '<span class="tag bad">' + text(alert.kind_label) + "</span> <strong>" + text(alert.supervisee_name) + "</strong>" +
        (alert.escalated ? ' <span class="tag overdue">!</span>' : "") +
        '<div class="when">' + when(alert.raised_at) + " · " + text(alert.detail) + "</div>" +
        '<a href="' + (alert.url || ("alerts/" + alert.id + "/")) + '">' + text(alert.status_label || "") + " →</a>";
      alertList.insertBefore(li, alertList.firstChild);
      if (alert.point) L.circleMarker(alert.point, { radius: 11, color: "#b42318", weight: 3, fill: false }).addTo(alertLayer).bindTooltip(text(alert.kind_label));
    }

    function emptyItem(list) {
      if (!list.children.length) { var li = document.createElement("li"); li.className = "empty-item muted"; li.textContent = list.dataset.empty; list.appendChild(li); }
    }

    fetch(element.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      var bounds = [];
      data.fences.forEach(function (f) { var s = drawFence(f, fences); bounds.push(s.getBounds()); });
      data.positions.forEach(function (p) {
        markerFor(p);
        if (p.point) bounds.push(L.latLngBounds([p.point, p.point]));
        var li = document.createElement("li");
        li.innerHTML = "<strong>" + text(p.supervisee_name) + "</strong> · " + text(p.device_label) +
          '<div class="when">' + (p.fix_time ? when(p.fix_time) : text(peopleList.dataset.never)) + (p.battery_percent != null ? " · " + p.battery_percent + "%" : "") + "</div>" +
          '<a href="' + p.track_url + '">' + text(peopleList.dataset.track) + " →</a>";
        peopleList.appendChild(li);
      });
      data.alerts.slice().reverse().forEach(function (a) { addAlert(a, false); });
      emptyItem(alertList); emptyItem(peopleList);
      if (bounds.length) { var all = bounds[0]; bounds.forEach(function (b) { all.extend(b); }); map.fitBounds(all.pad(0.1)); }
    });

    if (window.EventSource) {
      var source = new EventSource(element.dataset.live);
      source.onopen = function () { status.textContent = status.dataset.connected; status.className = "tag ok"; };
      source.onerror = function () { status.textContent = status.dataset.disconnected; status.className = "tag warn"; };
      source.addEventListener("position", function (e) { markerFor(JSON.parse(e.data)); });
      source.addEventListener("alert", function (e) { addAlert(JSON.parse(e.data), true); });
      source.addEventListener("alert_status", function (e) {
        var data = JSON.parse(e.data);
        if (data.status === "closed") { var li = alertList.querySelector('[data-id="' + data.id + '"]'); if (li) li.remove(); emptyItem(alertList); }
      });
    }
    return map;
  }

  // Integers of the encoded-polyline alphabet (tracks.py encode_array): 5 bits a character,
  // sign folded in. Arithmetic, not bit operators: JavaScript's are 32-bit.
  function decodeNumbers(text) {
    var values = [], value = 0, factor = 1;
    for (var i = 0; i < text.length; i++) {
      var chunk = text.charCodeAt(i) - 63;
      value += (chunk & 0x1f) * factor;
      factor *= 32;
      if (chunk < 0x20) { values.push(value % 2 ? -(value + 1) / 2 : value / 2); value = 0; factor = 1; }
    }
    return values;
  }

  function decodeTrack(data) {
    var track = { fixes: data.fixes, count: data.count || 0, lat: [], lon: [], t: [], speed: [], breaks: {} };
    (data.breaks || []).forEach(function (index) { track.breaks[index] = true; });
    if (!track.count) return track;
    var deltas = decodeNumbers(data.polyline), offsets = decodeNumbers(data.times), lat = 0, lon = 0;
    var time = new Date(data.start).getTime();
    track.speed = decodeNumbers(data.speeds);
    for (var i = 0; i < track.count; i++) {
      lat += deltas[2 * i]; lon += deltas[2 * i + 1]; time += offsets[i] * 1000;
      track.lat.push(lat / 1e6); track.lon.push(lon / 1e6); track.t.push(time);
    }
    return track;
  }

  // The pieces of line: a new one starts at each break (the track left the bounds, or the
  // device was off), so nothing joins what the screen does not show.
  function trackPieces(track) {
    var pieces = [], piece = [];
    for (var i = 0; i < track.count; i++) {
      if (track.breaks[i] && piece.length) { pieces.push(piece); piece = []; }
      piece.push([track.lat[i], track.lon[i]]);
    }
    if (piece.length) pieces.push(piece);
    return pieces;
  }

  // Track playback: the page asks the track API at the map's zoom, encoded, and again when the
  // zoom changes (once per zoom level, then from memory). From request.boundsFromZoom on (where
  // a month can be more points than a screen shows) it asks only for the visible bounds plus a
  // margin, and again when the map is moved past that margin (200 ms after the last move, the
  // request before aborted). The slider runs in time over the whole period (from the first
  // answer), so a new answer's points do not move the playback.
  function trackPlayback(element) {
    var request = JSON.parse(document.getElementById("track-request").textContent);
    var map = baseMap(element);
    var summary = document.getElementById("track-summary"), slider = document.getElementById("track-slider");
    var label = document.getElementById("track-time"), play = document.getElementById("track-play");
    var track = null, line = null, startMark = null, marker = null, cache = {}, wanted = null, fitted = false;
    var period = null, area = null, pending = null, timer = null, moveTimer = null;
    var fromZoom = request.boundsFromZoom || 99, MARGIN = 0.25;  // a quarter of the screen each side

    function load(zoom) {
      zoom = Math.max(0, Math.min(18, Math.round(zoom)));
      var query = { start: request.start, end: request.end, crs: request.crs, zoom: zoom, encoding: "polyline" };
      var key = String(zoom);
      if (zoom >= fromZoom && fitted) {
        // Still inside what the last answer covered at this zoom: nothing to ask.
        if (area && area.zoom === zoom && area.bounds.contains(map.getBounds())) return;
        var bounds = map.getBounds().pad(MARGIN);
        query.bounds = [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()]
          .map(function (value) { return value.toFixed(6); }).join(",");
        key = null;
        area = { zoom: zoom, bounds: bounds };
      } else {
        area = null;
      }
      wanted = key || query.bounds;
      if (key && cache[key]) { draw(cache[key]); return; }
      if (pending) pending.abort();
      var controller = window.AbortController ? new AbortController() : null;
      pending = controller;
      var asked = wanted;
      fetch(request.url + "?" + new URLSearchParams(query).toString(), {
        credentials: "same-origin", headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined
      })
        .then(function (response) { if (!response.ok) throw new Error(String(response.status)); return response.json(); })
        .then(function (data) {
          var decoded = decodeTrack(data);
          if (key) cache[key] = decoded;
          if (wanted === asked) draw(decoded);
        })
        .catch(function (error) {
          if (error && error.name === "AbortError") return;
          if (wanted === asked) { area = null; summary.textContent = summary.dataset.failed; }
        });
    }

    function draw(next) {
      track = next;
      if (!track.fixes) { summary.textContent = summary.dataset.empty; return; }
      if (!track.count) {
        summary.textContent = summary.dataset.noneHere.replace("{fixes}", track.fixes.toLocaleString("zh-CN"));
        if (line) line.setLatLngs([]);
        show(parseInt(slider.value, 10) || 0);
        return;
      }
      summary.textContent = summary.dataset.summary
        .replace("{fixes}", track.fixes.toLocaleString("zh-CN")).replace("{shown}", track.count.toLocaleString("zh-CN"));
      var pieces = trackPieces(track);
      if (line) { line.setLatLngs(pieces); } else { line = L.polyline(pieces, { color: "#1d4e89", weight: 3 }).addTo(map); }
      if (!startMark) {
        startMark = L.circleMarker(pieces[0][0], { radius: 6, color: "#1f7a4d" }).addTo(map);
        marker = L.circleMarker(pieces[0][0], { radius: 8, color: "#fff", weight: 2, fillColor: "#b42318", fillOpacity: 1 }).addTo(map);
      }
      if (!period) {
        period = { start: track.t[0], end: track.t[track.count - 1] };
        slider.max = String(Math.round((period.end - period.start) / 1000));
      }
      slider.disabled = false; play.disabled = false;
      show(parseInt(slider.value, 10) || 0);
      // The first answer places the map; the zoom that gives asks again for its own detail.
      if (!fitted) { fitted = true; map.fitBounds(line.getBounds().pad(0.1)); }
    }

    function indexAt(ms) {
      var low = 0, high = track.count - 1;
      while (low < high) { var mid = (low + high + 1) >> 1; if (track.t[mid] <= ms) low = mid; else high = mid - 1; }
      return low;
    }

    function show(seconds) {
      slider.value = String(seconds);
      if (!period || !track || !track.count) return;
      var ms = period.start + seconds * 1000, i = indexAt(ms), j = Math.min(i + 1, track.count - 1);
      // Across a break the person was out of view (or the device off): no line to move along.
      var f = j > i && !track.breaks[j] && track.t[j] > track.t[i] ? Math.max(0, Math.min(1, (ms - track.t[i]) / (track.t[j] - track.t[i]))) : 0;
      marker.setLatLng([track.lat[i] + (track.lat[j] - track.lat[i]) * f, track.lon[i] + (track.lon[j] - track.lon[i]) * f]);
      label.textContent = when(ms) + " · " + track.speed[i] + " km/h";
    }

    slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
    play.addEventListener("click", function () {
      if (timer) { clearInterval(timer); timer = null; play.textContent = play.dataset.play; return; }
      play.textContent = play.dataset.pause;
      var end = parseInt(slider.max, 10), step = Math.max(1, Math.round(end / 400));
      if (parseInt(slider.value, 10) >= end) show(0);
      timer = setInterval(function () {
        var next = parseInt(slider.value, 10) + step;
        if (next > end) { clearInterval(timer); timer = null; play.textContent = play.dataset.play; return; }
        show(next);
      }, 20);
    });
    // A zoom ends with a move too: one listener, 200 ms after the last change.
    map.on("moveend", function () {
      clearTimeout(moveTimer);
      moveTimer = setTimeout(function () { load(map.getZoom()); }, 200);
    });
    load(map.getZoom());
    return map;
  }

  function fenceEditor(element) {
    var map = baseMap(element);
    var existing = JSON.parse(document.getElementById("fence-data").textContent);
    var layer = L.layerGroup().addTo(map);
    if (existing) { var shape = drawFence(existing, layer); map.fitBounds(shape.getBounds().pad(0.2)); }
    var form = document.getElementById("fence-form");
    if (!form || !element.dataset.editable) return map;
    var shapeSelect = form.querySelector("[name=shape]"), geometry = form.querySelector("[name=geometry]"), drawnIn = form.querySelector("[name=drawn_in]");
    var hint = document.getElementById("fence-hint"), crs = tiles().crs;
    var lat = form.querySelector("[name=center_latitude]"), lon = form.querySelector("[name=center_longitude]"), radius = form.querySelector("[name=radius_m]");
    var corners = [], drawing = null;
    function updateHint() { hint.textContent = shapeSelect.value === "circle" ? element.dataset.hintCircle : element.dataset.hintPolygon; }
    function redraw() {
      if (drawing) layer.removeLayer(drawing);
      drawing = null;
      if (shapeSelect.value === "circle" && lat.value && lon.value && radius.value) {
        drawing = L.circle([parseFloat(lat.value), parseFloat(lon.value)], { radius: parseFloat(radius.value), color: "#b26a00" }).addTo(layer);
      } else if (corners.length) {
        drawing = L.polygon(corners, { color: "#b26a00" }).addTo(layer);
      }
    }
    map.doubleClickZoom.disable();
    map.on("click", function (e) {
      drawnIn.value = crs;
      if (shapeSelect.value === "circle") {
        lat.value = e.latlng.lat.toFixed(6); lon.value = e.latlng.lng.toFixed(6);
        if (!radius.value) radius.value = 200;
      } else {
        corners.push([e.latlng.lat, e.latlng.lng]);
        if (corners.length >= 3) {
          var ring = corners.map(function (c) { return [c[1], c[0]]; }); ring.push(ring[0]);
          geometry.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
        }
      }
      redraw();
    });
    [lat, lon, radius].forEach(function (input) { input.addEventListener("input", redraw); });
    shapeSelect.addEventListener("change", function () { updateHint(); redraw(); });
    document.getElementById("fence-clear").addEventListener("click", function () { corners = []; geometry.value = ""; redraw(); });
    updateHint();
    return map;
  }

  window.ZhengtuMonitoring = { commandMap: commandMap, trackPlayback: trackPlayback, fenceEditor: fenceEditor };
})();
