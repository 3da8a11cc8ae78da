"use strict";
(function () {
  function copy(text, button) {
    var done = function () {
      var before = button.textContent;
      button.textContent = "copied";
      setTimeout(function () { button.textContent = before; }, 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else {
      fallback(text);
      done();
    }
  }
  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing to copy to */ }
    document.body.removeChild(area);
  }
  function addButton(after, label, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "copy";
    b.textContent = label;
    b.addEventListener("click", function () { copy(text(), b); });
    after.appendChild(b);
  }
  document.querySelectorAll("[data-copy]").forEach(function (cell) {
    var value = cell.getAttribute("data-copy");
    addButton(cell, "copy", function () { return value; });
  });
  var plain = document.getElementById("ticket-text");
  var heading = document.querySelector("#ticket h2");
  if (plain && heading) {
    addButton(heading, "copy all", function () { return plain.textContent; });
  }
  function cellValue(row, i) {
    var c = row.cells[i];
    if (!c) { return ""; }
    return c.getAttribute("data-sort") || c.textContent.trim();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    table.querySelectorAll("thead th").forEach(function (th, i) {
      th.tabIndex = 0;
      var sort = function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("thead th").forEach(function (o) { o.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var rows = Array.prototype.slice.call(body.rows);
        var numeric = rows.every(function (r) { var v = cellValue(r, i); return v === "" || !isNaN(Number(v)); });
        rows.sort(function (a, b) {
          var x = cellValue(a, i), y = cellValue(b, i);
          var d = numeric ? (Number(x) - Number(y)) : x.localeCompare(y);
          return asc ? d : -d;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
    });
  });
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
  if (location.hash) {
    var target = document.getElementById(location.hash.slice(1));
    if (target && target.tagName === "DETAILS") { target.open = true; }
  }
  window.addEventListener("hashchange", function () {
    var t = document.getElementById(location.hash.slice(1));
    if (t && t.tagName === "DETAILS") { t.open = true; }
  });
})();
