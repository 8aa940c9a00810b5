/* The command wall: live map, alert queue with its lifecycle, counts and sparklines.
   Live through the monitoring Server-Sent Events stream; after a network blip the browser reconnects
   by itself and the wall re-reads the map and the counts, so nothing missed while offline is lost. */
(function () {
  "use strict";
  var STATUS_LABELS = {};

  function text(value) { var s = document.createElement("span"); s.textContent = value == null ? "" : String(value); return s.innerHTML; }
  function when(iso) { return iso ? new Date(iso).toLocaleString("zh-CN", { hour12: false }) : ""; }
  // The wall re-reads its figures every minute and after each reconnection. Parts whose content did not change
  // are left alone: replacing them under the pointer would swallow a click that started before the refresh.
  function setHTML(el, html) { if (el._html !== html) { el.innerHTML = html; el._html = html; } }
  function getJSON(url) { return fetch(url, { credentials: "same-origin" }).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); }); }

  function start(element) {
    var source = JSON.parse(document.getElementById("monitoring-tiles").textContent);
    var map = L.map(element, { preferCanvas: true, zoomControl: false }).setView([27.9, 110.6], 9);
    if (source.url) {
      var options = { attribution: source.attribution, maxZoom: 18 };
      if (source.subdomains) options.subdomains = source.subdomains;
      L.tileLayer(source.url, options).addTo(map);
    } else if (window.ZhengtuBaseMap) {
      ZhengtuBaseMap.addTo(map);
    }
    var people = L.layerGroup().addTo(map), alertLayer = L.layerGroup().addTo(map);
    var markers = {}, alerts = {}, alertMarkers = {};
    var queue = document.getElementById("alert-queue"), status = document.getElementById("live-status");
    var detailMap = null, detailMarker = null;

    function markerFor(item) {
      if (!item.point) return;
      var key = item.device_id;
      if (!markers[key]) {
        markers[key] = L.circleMarker(item.point, { radius: 5, color: "#0b1726", weight: 1, fillColor: item.device_kind === "phone" ? "#3ecf8e" : "#5aa2ff", fillOpacity: 0.95 }).addTo(people);
      } else {
        markers[key].setLatLng(item.point);
      }
      markers[key].bindTooltip(text(item.supervisee_name));
    }

    var queueShown = null;
    function renderQueue() {
      var list = Object.keys(alerts).map(function (k) { return alerts[k]; }).sort(function (a, b) { return a.raised_at < b.raised_at ? 1 : -1; });
      var shown = JSON.stringify(list.map(function (a) { return [a.id, a.status_label, a.kind_label, a.supervisee_name, a.raised_at, a.detail, a.fresh]; }));
      if (shown === queueShown) return;
      queueShown = shown;
      queue.innerHTML = "";
      list.forEach(function (alert) {
        var li = document.createElement("li");
        li.dataset.id = alert.id;
        if (alert.fresh) li.className = "fresh";
        li.innerHTML = '<span class="status">' + text(alert.status_label || "") + '</span><span class="kind">' + text(alert.kind_label) + "</span> " +
          text(alert.supervisee_name) + '<div class="when">' + when(alert.raised_at) + " · " + text(alert.detail) + "</div>";
        li.addEventListener("click", function () { showDetail(alert); });
        queue.appendChild(li);
      });
      if (!list.length) { var li = document.createElement("li"); li.className = "empty-item"; li.textContent = queue.dataset.empty; queue.appendChild(li); }
      document.getElementById("alert-count").textContent = list.length;
    }

    function putAlert(alert, fresh) {
      alert.fresh = fresh;
      // Live events carry no link or status label (monitoring/alerts.py alert_event_payload): complete them here.
      if (!alert.url) alert.url = element.dataset.alertUrl.replace("/0/", "/" + alert.id + "/");
      if (!alert.status_label) alert.status_label = STATUS_LABELS[alert.status] || "";
      alerts[alert.id] = alert;
      if (alert.point && !alertMarkers[alert.id]) {
        alertMarkers[alert.id] = L.circleMarker(alert.point, { radius: 12, color: "#ff6b5b", weight: 3, fill: false }).addTo(alertLayer).bindTooltip(text(alert.kind_label + " · " + alert.supervisee_name));
      }
    }

    function dropAlert(id) {
      delete alerts[id];
      if (alertMarkers[id]) { alertLayer.removeLayer(alertMarkers[id]); delete alertMarkers[id]; }
    }

    function showDetail(alert) {
      var box = document.getElementById("alert-detail");
      box.hidden = false;
      document.getElementById("alert-detail-title").textContent = alert.kind_label + " · " + alert.supervisee_name;
      document.getElementById("alert-detail-text").textContent = when(alert.raised_at) + " · " + (alert.status_label || "") + " · " + (alert.detail || "");
      document.getElementById("alert-detail-link").href = alert.url;
      var mapBox = document.getElementById("alert-detail-map");
      if (!detailMap) {
        detailMap = L.map(mapBox, { zoomControl: false, attributionControl: false }).setView([27.9, 110.6], 12);
        if (source.url) L.tileLayer(source.url, source.subdomains ? { subdomains: source.subdomains } : {}).addTo(detailMap);
        else if (window.ZhengtuBaseMap) ZhengtuBaseMap.addTo(detailMap, { fit: false });
      }
      detailMap.invalidateSize();
      if (detailMarker) detailMap.removeLayer(detailMarker);
      if (alert.point) {
        detailMarker = L.circleMarker(alert.point, { radius: 10, color: "#ff6b5b", weight: 3, fillOpacity: 0.4 }).addTo(detailMap);
        detailMap.setView(alert.point, 14);
        mapBox.dataset.point = alert.point.join(",");
      } else {
        mapBox.dataset.point = "";
      }
      if (alert.point) map.panTo(alert.point);
    }
    document.getElementById("alert-detail-close").addEventListener("click", function () { document.getElementById("alert-detail").hidden = true; });

    var fitted = false;
    function loadMap() {
      return getJSON(element.dataset.map).then(function (data) {
        var seen = {};
        data.alerts.forEach(function (a) { seen[a.id] = true; putAlert(a, false); });
        Object.keys(alerts).forEach(function (id) { if (!seen[id]) dropAlert(id); });
        data.positions.forEach(markerFor);
        renderQueue();
        var points = data.positions.filter(function (p) { return p.point; }).map(function (p) { return p.point; });
        if (points.length && !fitted) { map.fitBounds(L.latLngBounds(points).pad(0.2), { maxZoom: 11 }); fitted = true; }
      });
    }

    function tile(item, tone) {
      return '<a class="tile' + (tone && item.value ? " " + tone : "") + '" href="' + item.url + '" data-key="' + text(item.key) + '"><b>' + item.value + "</b><span>" + text(item.label) + "</span></a>";
    }

    var typeChart = null, sparkAlerts = null, sparkCheckins = null;
    function loadFigures() {
      return getJSON(element.dataset.figures).then(function (f) {
        setHTML(document.getElementById("tiles-status"), f.status.map(function (i) { return tile(i); }).join(""));
        setHTML(document.getElementById("tiles-level"), f.level.map(function (i) { return tile(i, i.key === "strict" ? "bad" : ""); }).join(""));
        setHTML(document.getElementById("lifecycle"), f.alerts_open.map(function (i) { STATUS_LABELS[i.key] = i.label; return '<a href="' + i.url + '"><b>' + i.value + "</b><span>" + text(i.label) + "</span></a>"; }).join(""));
        var checkins = document.getElementById("tile-checkins");
        checkins.querySelector("b").textContent = f.check_ins_today.value; checkins.href = f.check_ins_today.url;
        var spot = document.getElementById("tile-spot");
        spot.querySelector("b").textContent = f.missed_spot_checks.value == null ? "—" : f.missed_spot_checks.value;
        if (f.missed_spot_checks.note && !spot.querySelector("small")) { var s = document.createElement("small"); s.textContent = f.missed_spot_checks.note; spot.appendChild(s); }
        setHTML(document.getElementById("type-table"), f.sentence_type.map(function (i) { return '<tr><td><a href="' + i.url + '">' + text(i.label) + '</a></td><td><a href="' + i.url + '">' + i.value + "</a></td></tr>"; }).join(""));
        if (!typeChart) {
          typeChart = echarts.init(document.getElementById("type-chart"), null, { renderer: "svg" });
          typeChart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
        }
        var fontSize = Math.max(10, Math.round(window.innerHeight * 0.012));  // readable at 1080p and 4K alike
        var typeShown = JSON.stringify([f.sentence_type, fontSize]);
        if (typeShown !== typeChart._shown) { typeChart._shown = typeShown; typeChart.setOption({
          animation: false, grid: { left: 4, right: 4, top: 4, bottom: 4, containLabel: true },
          xAxis: { type: "category", data: f.sentence_type.map(function (i) { return i.label; }), axisLabel: { color: "#8fa8c3", interval: 0, fontSize: fontSize } },
          yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#8fa8c3", fontSize: fontSize }, splitLine: { lineStyle: { color: "#23405f" } } },
          series: [{ type: "bar", cursor: "pointer", itemStyle: { color: "#5aa2ff" }, data: f.sentence_type.map(function (i) { return { value: i.value, url: i.url }; }) }],
        }); }
        if (!sparkAlerts) sparkAlerts = ZhengtuCharts.sparkline(document.getElementById("spark-alerts"), f.sparklines.alerts, "#ff6b5b");
        else sparkAlerts.setOption({ series: [{ data: f.sparklines.alerts }] });
        if (!sparkCheckins) sparkCheckins = ZhengtuCharts.sparkline(document.getElementById("spark-checkins"), f.sparklines.check_ins, "#3ecf8e");
        else sparkCheckins.setOption({ series: [{ data: f.sparklines.check_ins }] });
        document.getElementById("spark-alerts-link").href = f.sparklines.alerts_url;
        document.getElementById("wall-fresh").textContent = when(f.computed_at);
      });
    }

    function tick() { document.getElementById("wall-clock").textContent = new Date().toLocaleString("zh-CN", { hour12: false }); }
    tick(); setInterval(tick, 1000);
    loadMap(); loadFigures();
    setInterval(loadFigures, Math.max(10, parseInt(element.dataset.refresh, 10) || 60) * 1000);

    var figuresSoon = null;
    function refreshFiguresSoon() { if (!figuresSoon) figuresSoon = setTimeout(function () { figuresSoon = null; loadFigures(); }, 1500); }

    if (window.EventSource) {
      var lost = false;
      var live = new EventSource(element.dataset.live);
      live.onopen = function () {
        status.className = "live ok";
        status.textContent = lost ? status.dataset.resynced : status.dataset.connected;
        // Back after a blip: events sent meanwhile were not received; read the current state again.
        if (lost) { loadMap(); loadFigures(); }
        lost = false;
      };
      live.onerror = function () { lost = true; status.className = "live warn"; status.textContent = status.dataset.disconnected; };
      live.addEventListener("position", function (e) { markerFor(JSON.parse(e.data)); });
      live.addEventListener("alert", function (e) {
        var alert = JSON.parse(e.data);
        putAlert(alert, true); renderQueue(); refreshFiguresSoon();
        document.body.dataset.lastLiveAlert = alert.id;
      });
      live.addEventListener("alert_status", function (e) {
        var data = JSON.parse(e.data);
        if (data.status === "closed") dropAlert(data.id);
        else if (alerts[data.id]) { alerts[data.id].status = data.status; alerts[data.id].status_label = data.status_label || STATUS_LABELS[data.status] || data.status; alerts[data.id].fresh = false; }
        renderQueue(); refreshFiguresSoon();
      });
      window.addEventListener("beforeunload", function () { live.close(); });
    }
    window.ZhengtuWall.map = map;
  }

  window.ZhengtuWall = { start: start };
})();
