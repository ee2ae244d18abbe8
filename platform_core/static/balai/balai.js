/* Balai: small behaviours shared by every page. No inline scripts anywhere (CSP-friendly). */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").trim();
  }

  /* <input data-filter="#list"> hides [data-filter-item] inside #list that do not match;
   * [data-filter-group] containers (e.g. <details>) are hidden when empty and opened on a match. */
  function setupFilter(input) {
    var root = document.querySelector(input.getAttribute("data-filter"));
    if (!root) return;
    var empty = document.querySelector(input.getAttribute("data-filter-empty") || "#__none");
    var items = root.querySelectorAll("[data-filter-item]");
    items.forEach(function (el) { el.balaiText = normalise(el.textContent + " " + (el.getAttribute("data-filter-text") || "")); });
    var groups = Array.prototype.slice.call(root.querySelectorAll("[data-filter-group]")).reverse();

    function apply() {
      var q = normalise(input.value);
      var shown = 0;
      items.forEach(function (el) {
        var hit = !q || el.balaiText.indexOf(q) !== -1;
        el.hidden = !hit;
        if (hit) shown += 1;
      });
      groups.forEach(function (g) {
        var any = g.querySelector("[data-filter-item]:not([hidden])") !== null;
        g.hidden = !any;
        if (g.tagName === "DETAILS") {
          if (q && any) { g.open = true; } else if (!q) { g.open = g.hasAttribute("data-open-default"); }
        }
      });
      if (empty) empty.hidden = shown !== 0;
    }
    input.addEventListener("input", apply);
    if (input.value) apply();
  }

  /* <form data-confirm="Yakin?"> asks before submitting. */
  function setupConfirm(form) {
    form.addEventListener("submit", function (e) {
      if (!window.confirm(form.getAttribute("data-confirm"))) e.preventDefault();
    });
  }

  /* <select data-autosubmit> submits its form on change (the button stays for no-JS). */
  function setupAutosubmit(select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }

  /* <button data-print> prints the page. */
  function setupPrint(btn) {
    btn.addEventListener("click", function () { window.print(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-filter]").forEach(setupFilter);
    document.querySelectorAll("form[data-confirm]").forEach(setupConfirm);
    document.querySelectorAll("select[data-autosubmit]").forEach(setupAutosubmit);
    document.querySelectorAll("[data-print]").forEach(setupPrint);
    document.documentElement.classList.add("js");
  });
})();
