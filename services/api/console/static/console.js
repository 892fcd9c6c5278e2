// Maestro Discovery console: times in the viewer's zone, live sections refreshed every 1.5 s.
"use strict";
(function () {
  function localize(root) {
    root.querySelectorAll("time[datetime]").forEach(function (el) {
      var at = new Date(el.getAttribute("datetime"));
      if (!isNaN(at)) {
        el.title = el.getAttribute("datetime");
        el.textContent = at.toLocaleString();
      }
    });
    // Chart ticks: the same instant, shorter.
    root.querySelectorAll("[data-at]").forEach(function (el) {
      var at = new Date(el.getAttribute("data-at"));
      if (!isNaN(at)) {
        el.textContent = at.toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
      }
    });
  }

  function refresh(section) {
    var url = section.getAttribute("data-live");
    fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (resp) {
        if (resp.redirected || resp.status === 401) { window.location.reload(); return null; }
        return resp.ok ? resp.text() : null;
      })
      .then(function (html) {
        if (html === null || html === section.getAttribute("data-html")) return;
        var focused = document.activeElement && section.contains(document.activeElement) ? document.activeElement.id : null;
        var open = Array.prototype.map.call(section.querySelectorAll("details[open]"), function (d, i) { return i; });
        section.innerHTML = html;
        section.setAttribute("data-html", html);
        section.querySelectorAll("details").forEach(function (d, i) { if (open.indexOf(i) >= 0) d.open = true; });
        localize(section);
        if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
      })
      .catch(function () { /* the gateway is away for a moment: try again next tick */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    localize(document);
    document.querySelectorAll("[data-live]").forEach(function (section) {
      setInterval(function () { refresh(section); }, 1500);
    });
  });
})();
