/* Balai: draws every <canvas data-chart="..."> with Chart.js, so templates carry no inline JS.
 *
 * data-chart holds a Chart.js config as JSON, or "#id" of a <script type="application/json">
 * element written by Django's json_script filter. Datasets without colours get Balai's palette.
 */
(function () {
  "use strict";

  var PALETTE = ["#0f766e", "#d97706", "#2563eb", "#be123c", "#7c3aed", "#15803d", "#475569", "#c2410c"];

  function readConfig(canvas) {
    var raw = canvas.getAttribute("data-chart") || "";
    if (raw.charAt(0) === "#") {
      var source = document.getElementById(raw.slice(1));
      raw = source ? source.textContent : "";
    }
    try {
      return JSON.parse(raw);
    } catch (err) {
      if (window.console) console.error("balai charts: invalid data-chart on", canvas, err);
      return null;
    }
  }

  function colourise(config) {
    var single = config.type === "doughnut" || config.type === "pie" || config.type === "polarArea";
    (config.data && config.data.datasets ? config.data.datasets : []).forEach(function (ds, i) {
      if (ds.backgroundColor) return;
      if (single) {
        ds.backgroundColor = (ds.data || []).map(function (_, j) { return PALETTE[j % PALETTE.length]; });
      } else {
        ds.backgroundColor = PALETTE[i % PALETTE.length];
        ds.borderColor = PALETTE[i % PALETTE.length];
      }
    });
  }

  function shape(canvas, config) {
    if (config.type !== "bar") return;
    (config.data.datasets || []).forEach(function (ds) {
      if (ds.maxBarThickness === undefined) ds.maxBarThickness = 28;
    });
    // Horizontal bars: the box grows with the number of rows so labels never overlap.
    if (config.options && config.options.indexAxis === "y" && canvas.parentElement) {
      var rows = (config.data.labels || []).length;
      canvas.parentElement.style.height = Math.max(140, rows * 30 + 50) + "px";
    }
  }

  function draw(canvas) {
    if (canvas.balaiChart || typeof window.Chart === "undefined") return;
    var config = readConfig(canvas);
    if (!config) return;
    colourise(config);
    config.options = config.options || {};
    shape(canvas, config);
    if (config.options.responsive === undefined) config.options.responsive = true;
    if (config.options.maintainAspectRatio === undefined) config.options.maintainAspectRatio = false;
    canvas.balaiChart = new window.Chart(canvas, config);
    canvas.setAttribute("data-chart-ready", "1");
  }

  function drawAll(root) {
    (root || document).querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (typeof window.Chart !== "undefined") {
    window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.color = "#334155";
  }
  // Redraw at print size, then back.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("canvas[data-chart-ready]").forEach(function (c) { c.balaiChart.resize(); });
  });
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // Fragments swapped in by htmx may carry charts too.
  document.addEventListener("htmx:afterSettle", function (e) { drawAll(e.target); });
  window.balaiCharts = { drawAll: drawAll };
})();
