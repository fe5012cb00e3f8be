// The dashboard's charts, drawn by ECharts (served from our own static files) from the page's
// json_script data: nothing is fetched, so the charts work offline.
(function () {
  "use strict";
  if (!window.echarts) return;
  var dataNode = document.getElementById("stats-data");
  var data = dataNode ? JSON.parse(dataNode.textContent) : {};
  var charts = [];
  var RED = "#c8102e";
  var PALETTE = [RED, "#0b5cad", "#1a7f37", "#b35900", "#6f42c1", "#0a7d8c", "#8c6d1f", "#5f6b7a"];

  function draw(id, option, onClick) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.color = option.color || PALETTE;
    option.textStyle = { fontFamily: "-apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif" };
    option.animation = false;
    chart.setOption(option);
    if (onClick) chart.on("click", onClick);
    charts.push(chart);
  }

  var trend = data.trend || { months: [], series: [] };
  draw("chart-trend", {
    tooltip: { trigger: "axis" },
    legend: { top: 0, type: "scroll" },
    grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: trend.months.map(function (m) { return m.slice(2).replace("-", "/"); }) },
    yAxis: { type: "value", minInterval: 1 },
    series: trend.series.map(function (s) { return { name: s.name, type: "line", data: s.data, smooth: true, symbolSize: 5 }; })
  });

  (data.breakdowns || []).forEach(function (b, i) {
    draw("chart-breakdown-" + i, {
      title: { text: b.title, left: "center", top: 0, textStyle: { fontSize: 14 } },
      tooltip: { trigger: "item", formatter: "{b}: {c} " + b.unit + " ({d}%)" },
      series: [{ type: "pie", radius: ["35%", "62%"], center: ["50%", "56%"], data: b.items,
                 label: { formatter: "{b}\n{c}", fontSize: 11 }, avoidLabelOverlap: true }]
    });
  });

  var ranking = data.ranking || { items: [] };
  if (ranking.items.length) {
    var items = ranking.items.slice().reverse();  // biggest on top
    draw("chart-ranking", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: items.map(function (i) { return i.name; }), axisLabel: { width: 96, overflow: "truncate" } },
      series: [{ type: "bar", name: ranking.figure, data: items.map(function (i) { return i.value; }), itemStyle: { color: RED },
                 label: { show: true, position: "right" }, barMaxWidth: 18 }]
    }, function (params) {
      var item = items[params.dataIndex];
      if (item && item.url) window.location.href = item.url;
    });
  }

  var map = data.map || { points: [] };
  if (map.points.length) {
    var lons = map.points.map(function (p) { return p.value[0]; });
    var lats = map.points.map(function (p) { return p.value[1]; });
    var pad = function (lo, hi) { var d = Math.max((hi - lo) * 0.15, 0.01); return [lo - d, hi + d]; };
    var xr = pad(Math.min.apply(null, lons), Math.max.apply(null, lons));
    var yr = pad(Math.min.apply(null, lats), Math.max.apply(null, lats));
    draw("chart-map", {
      tooltip: { formatter: function (p) { return p.name + "<br>" + map.figure + ": " + p.value[2]; } },
      grid: { left: 8, right: 28, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "value", min: xr[0], max: xr[1], name: "E", axisLabel: { formatter: function (v) { return v.toFixed(2); } }, splitLine: { lineStyle: { type: "dashed" } } },
      yAxis: { type: "value", min: yr[0], max: yr[1], name: "N", axisLabel: { formatter: function (v) { return v.toFixed(2); } }, splitLine: { lineStyle: { type: "dashed" } } },
      series: [{ type: "scatter", data: map.points.map(function (p) { return { name: p.name, value: p.value, symbolSize: p.size }; }),
                 itemStyle: { color: RED, opacity: 0.7 }, label: { show: true, position: "top", formatter: "{b}", fontSize: 11, color: "#1f2328" },
                 labelLayout: { hideOverlap: true } }]
    });
  }

  // The cadre ranking arrives after the page (htmx) or with its own page: drawn from its json_script.
  function drawCadres() {
    var node = document.getElementById("stats-cadres");
    var el = document.getElementById("chart-cadres");
    if (!node || !el || el.getAttribute("data-drawn")) return;
    el.setAttribute("data-drawn", "1");
    var cadres = JSON.parse(node.textContent);
    if (!cadres.names.length) return;
    var rev = function (a) { return a.slice().reverse(); };
    draw("chart-cadres", {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, type: "scroll" },  // one line on a phone, not over the first bar
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: rev(cadres.names), axisLabel: { width: 110, overflow: "truncate" } },
      series: [
        { name: cadres.labels.visited, type: "bar", data: rev(cadres.visited), barGap: "-100%", z: 3, barMaxWidth: 14 },
        { name: cadres.labels.visit_target, type: "bar", data: rev(cadres.visit_target), itemStyle: { color: "#f3c5cd" }, barMaxWidth: 14, z: 2 },
        { name: cadres.labels.solved, type: "bar", data: rev(cadres.solved), barMaxWidth: 8, itemStyle: { color: "#0b5cad" } }
      ]
    });
  }
  drawCadres();
  document.body.addEventListener("htmx:afterSettle", drawCadres);

  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });
})();
