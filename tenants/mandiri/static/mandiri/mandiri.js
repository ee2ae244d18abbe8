/* Layanan mandiri warga: the kiosk keypad, the kiosk idle timer, print helpers. No inline scripts (CSP). */
(function () {
  "use strict";

  /* On-screen keypad: [data-key] buttons type into the active [data-keypad-target] field. */
  function setupKeypad(form) {
    var targets = Array.prototype.slice.call(form.querySelectorAll("[data-keypad-target]"));
    if (!targets.length) return;
    var active = targets.find(function (t) { return !t.value; }) || targets[0];

    function activate(el) {
      targets.forEach(function (t) { t.classList.toggle("aktif", t === el); });
      active = el;
    }
    targets.forEach(function (t) {
      t.addEventListener("focus", function () { activate(t); });
      t.addEventListener("click", function () { activate(t); });
    });
    form.querySelectorAll("[data-key]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var key = btn.getAttribute("data-key");
        var max = parseInt(active.getAttribute("maxlength") || "99", 10);
        if (key === "hapus") {
          active.value = active.value.slice(0, -1);
        } else if (active.value.length < max) {
          active.value += key;
          if (active.value.length === max && active.getAttribute("data-next")) {
            var next = form.querySelector(active.getAttribute("data-next"));
            if (next) activate(next);
          }
        }
      });
    });
    activate(active);
  }

  /* Kiosk idle timer: after `data-diam` seconds without a touch, warn for `data-peringatan` seconds, then
   * sign out (POST #form-keluar) or, on the keypad page, start again with empty fields. The server ends
   * the session on its own too (short expiry), whatever this script does. */
  function setupIdle(timer) {
    var diam = parseInt(timer.getAttribute("data-diam"), 10) * 1000;
    var warn = parseInt(timer.getAttribute("data-peringatan"), 10) * 1000;
    var overlay = document.getElementById("anjungan-peringatan");
    var sisa = document.getElementById("anjungan-sisa");
    var lanjut = document.getElementById("anjungan-lanjut");
    var last = Date.now();

    function reset() { last = Date.now(); if (overlay) overlay.hidden = true; }
    ["pointerdown", "keydown", "touchstart", "scroll"].forEach(function (ev) {
      document.addEventListener(ev, reset, { passive: true });
    });
    if (lanjut) lanjut.addEventListener("click", reset);

    function finish() {
      var form = document.getElementById("form-keluar");
      if (form) {
        form.querySelector("input[name=habis]").value = "1";
        form.submit();
      } else {
        window.location.replace(timer.getAttribute("data-ulang"));
      }
    }
    window.setInterval(function () {
      var idle = Date.now() - last;
      var form = document.getElementById("form-keluar");
      var dirty = Array.prototype.some.call(document.querySelectorAll("input[data-keypad-target]"), function (i) { return i.value; });
      if (!form && !dirty) { last = Date.now(); return; }  // an empty keypad page has nothing to clear
      if (idle >= diam) { finish(); return; }
      if (idle >= diam - warn && overlay) {
        overlay.hidden = false;
        if (sisa) sisa.textContent = String(Math.ceil((diam - idle) / 1000));
      }
    }, 1000);
  }

  /* Kiosk print page: print the letter shown in the frame, then sign out after a while. */
  function setupCetak(frame) {
    frame.addEventListener("load", function () {
      try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.print(); }
    });
  }

  /* <input type=file data-max-bytes> refuses an oversized file before it is sent (the server checks too). */
  function setupFileSize(input) {
    input.addEventListener("change", function () {
      var max = parseInt(input.getAttribute("data-max-bytes"), 10);
      var tooBig = Array.prototype.some.call(input.files || [], function (f) { return f.size > max; });
      input.setCustomValidity(tooBig ? input.getAttribute("data-max-message") || "Berkas terlalu besar." : "");
      if (tooBig) input.reportValidity();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-keypad-form]").forEach(setupKeypad);
    var timer = document.getElementById("anjungan-timer");
    if (timer) setupIdle(timer);
    document.querySelectorAll("iframe[data-cetak]").forEach(setupCetak);
    document.querySelectorAll("input[type=file][data-max-bytes]").forEach(setupFileSize);
  });
})();
