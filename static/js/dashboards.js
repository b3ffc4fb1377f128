// Dashboards: draw the charts with ECharts from the JSON the page carries (json_script: data, never executed; the
// CSP forbids inline script). Every segment carries the URL of the list behind it: a click opens that list.
(function () {
  "use strict";

  // The filter form: a changed village, grid or township reloads the page; a new village drops the old grid.
  document.addEventListener("change", function (event) {
    const select = event.target.closest("select[data-autosubmit]");
    if (!select || !select.form) {
      return;
    }
    const dependent = select.dataset.resets && document.getElementById(select.dataset.resets);
    if (dependent) {
      dependent.value = "";
    }
    select.form.requestSubmit();
  });

  const source = document.getElementById("dashboard-charts");
  if (!source || !window.echarts) {
    return;
  }
  const charts = JSON.parse(source.textContent);
  const instances = [];
  const RED = "#c0392b";
  const BLUE = "#2f6fb0";
  const PALETTE = [BLUE, "#e67e22", "#27ae60", RED, "#8e44ad", "#16a085", "#f1c40f", "#7f8c8d", "#d35400"];
  const ROW_HEIGHT = 26;

  function escape(text) {
    return window.echarts.format.encodeHTML(String(text));
  }

  // Plain text: ECharts' default tooltip markup carries inline styles, which the CSP refuses.
  function tooltip(unit) {
    return function (params) {
      const d = params.data || {};
      const series = params.seriesName && params.seriesType !== "pie" && unit ? escape(params.seriesName) + " · " : "";
      const value = unit ? d.value + unit + " (" + d.count + ")" : d.count;
      return series + escape(d.name) + ": " + escape(value);
    };
  }

  function categories(points) {
    return points.map(function (p) { return p.name; });
  }

  function bar(chart) {
    const points = chart.points;
    return {
      color: [BLUE],
      grid: { left: 8, right: 12, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: tooltip("") },
      xAxis: { type: "category", data: categories(points), axisLabel: { rotate: points.length > 6 ? 45 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: points, cursor: "pointer" }],
    };
  }

  function hbar(chart) {
    const points = chart.points;
    return {
      color: [chart.tone === "danger" ? RED : BLUE],
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: tooltip("") },
      yAxis: { type: "category", data: categories(points), inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      xAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: points, cursor: "pointer", label: { show: true, position: "right" } }],
    };
  }

  // On a phone the names go to the legend, the counts stay on the slices.
  function pie(chart, element) {
    const narrow = element.clientWidth < 480;
    return {
      color: PALETTE,
      tooltip: { trigger: "item", formatter: tooltip("") },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["30%", "58%"], center: ["50%", "44%"], cursor: "pointer",
        data: chart.points.filter(function (p) { return p.count > 0; }),
        label: narrow ? { position: "inside", formatter: "{c}" } : { formatter: "{b}\n{c}" },
      }],
    };
  }

  function coverage(chart) {
    const names = chart.rows.map(function (r) { return r.name; });
    return {
      color: ["#9ec5ec", BLUE],
      legend: { top: 0 },
      grid: { left: 8, right: 32, top: 28, bottom: 8, containLabel: true },
      tooltip: { trigger: "item", formatter: tooltip(chart.unit) },
      yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 120, overflow: "truncate" } },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: chart.series.map(function (name, i) {
        return {
          name: name, type: "bar", cursor: "pointer",
          data: chart.rows.map(function (r) { return r.cells[i]; }),
        };
      }),
    };
  }

  const BUILDERS = { bar: bar, hbar: hbar, pie: pie, coverage: coverage };

  // Horizontal bars get a row each, so that a township's twenty villages stay readable on a phone.
  function height(chart) {
    if (chart.kind === "hbar") {
      return Math.max(200, chart.points.length * ROW_HEIGHT + 40);
    }
    if (chart.kind === "coverage") {
      return Math.max(200, chart.rows.length * ROW_HEIGHT * 1.6 + 60);
    }
    return null;
  }

  document.querySelectorAll("[data-chart]").forEach(function (element) {
    const chart = charts[element.dataset.chart];
    const build = chart && BUILDERS[chart.kind];
    if (!build) {
      return;
    }
    const rows = height(chart);
    if (rows) {
      element.style.height = rows + "px";
    }
    const instance = window.echarts.init(element, null, { renderer: "canvas" });
    instance.setOption(Object.assign({ aria: { enabled: true }, animation: false }, build(chart, element)));
    instance.on("click", function (params) {
      if (params.data && params.data.url) {
        window.location.assign(params.data.url);
      }
    });
    element.dataset.drawn = "yes";
    instances.push(instance);
  });

  let pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      instances.forEach(function (instance) { instance.resize(); });
    }, 150);
  });
})();
