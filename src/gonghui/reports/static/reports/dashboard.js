/* 数据看板: ECharts from the figures the page passes in #dashboard-data; a click opens the records behind a figure. */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || !window.echarts) { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];

  function make(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    charts.push(chart);
    return chart;
  }
  function go(url) { if (url) { window.location.href = url; } }

  var kids = data.children || [];
  var bar = make("chart-children");
  if (bar && kids.length) {
    var keys = ["members.total", "members.new"].filter(function (k) { return data.labels[k]; });
    bar.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 8, right: 8, bottom: 8, top: 32, containLabel: true },
      xAxis: { type: "category", data: kids.map(function (k) { return k.name; }),
               axisLabel: { interval: 0, rotate: kids.length > 4 ? 30 : 0, width: 90, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1 },
      series: keys.map(function (key) {
        return { name: data.labels[key], type: "bar", key: key,
                 data: kids.map(function (k) { return k.values[key]; }) };
      })
    });
    bar.on("click", function (p) { go(kids[p.dataIndex].urls[keys[p.seriesIndex]]); });
  }

  var tree = make("chart-treemap");
  if (tree && kids.length && data.labels["members.total"]) {
    tree.setOption({
      tooltip: { formatter: function (p) { return p.name + "：" + p.value + " 人"; } },
      series: [{ type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false },
                 top: 0, left: 0, right: 0, bottom: 0,
                 label: { show: true, formatter: "{b}\n{c}人" },
                 data: kids.filter(function (k) { return k.values["members.total"]; }).map(function (k) {
                   return { name: k.name, value: k.values["members.total"], url: k.urls["members.total"] };
                 }) }]
    });
    tree.on("click", function (p) { go(p.data && p.data.url); });
  }

  var line = make("chart-trends");
  if (line && data.trends.length) {
    line.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: { type: "category", data: data.months },
      yAxis: { type: "value", minInterval: 1 },
      series: data.trends.map(function (t) { return { name: t.name, type: "line", data: t.values, smooth: false }; })
    });
    line.on("click", function (p) { go(data.trends[p.seriesIndex].urls[p.dataIndex]); });
  }

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
