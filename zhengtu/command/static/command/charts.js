/* Zhengtu statistics charts (ECharts, vendored). Every bar and point carries the URL of the records behind it. */
(function () {
  "use strict";
  var PALETTE = ["#1d4e89", "#1f7a4d", "#b26a00", "#b42318", "#6b4fa3", "#2a8c9e", "#7a7a7a"];

  function drillOnClick(chart) {
    chart.on("click", function (params) {
      if (params.data && params.data.url) window.location.href = params.data.url;
    });
  }

  function comparison(element, data) {
    if (!element || !data || !data.categories) return null;
    var chart = echarts.init(element, null, { renderer: "svg" });
    var horizontal = data.categories.length > 8;
    var category = { type: "category", data: data.categories, axisLabel: { interval: 0, width: 110, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    chart.setOption({
      color: PALETTE,
      animation: false,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { type: "scroll", top: 0 },
      grid: { left: horizontal ? 120 : 40, right: 16, top: 36, bottom: horizontal ? 24 : 60 },
      xAxis: horizontal ? value : Object.assign({}, category, { axisLabel: { interval: 0, rotate: 30 } }),
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : value,
      series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "total", data: s.data, cursor: "pointer" }; }),
    });
    if (horizontal) element.style.height = Math.max(220, 26 * data.categories.length + 60) + "px";
    chart.resize();
    drillOnClick(chart);
    return chart;
  }

  function trend(element, points) {
    if (!element || !points) return null;
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      color: PALETTE,
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 16, bottom: 30 },
      xAxis: { type: "category", data: points.map(function (p) { return p.label; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "line", data: points.map(function (p) { return { value: p.value, url: p.url }; }), symbolSize: 8, cursor: "pointer" }],
    });
    drillOnClick(chart);
    return chart;
  }

  function sparkline(element, values, color) {
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 2, right: 2, top: 4, bottom: 2 },
      xAxis: { type: "category", show: false, data: values.map(function (_v, i) { return i; }) },
      yAxis: { type: "value", show: false, min: 0 },
      series: [{ type: "line", data: values, symbol: "none", lineStyle: { width: 2, color: color || "#7fb3ff" }, areaStyle: { opacity: 0.15, color: color || "#7fb3ff" } }],
    });
    return chart;
  }

  function comparisons(charts) {
    var made = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      made.push(comparison(element, charts[element.dataset.chart]));
    });
    window.addEventListener("resize", function () { made.forEach(function (c) { if (c) c.resize(); }); });
  }

  window.ZhengtuCharts = { comparison: comparison, comparisons: comparisons, trend: trend, sparkline: sparkline };
})();
