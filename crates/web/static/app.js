// Small improvements over pages that work without script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Print buttons print; without script they are links to the printable page.
  document.querySelectorAll("[data-print]").forEach(function (el) {
    el.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
  });
  // Open every explanation before printing, so that the memo shows them all.
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.setAttribute("open", ""); });
  });
  // The first field of a question takes the focus, so that the keyboard answers at once.
  var first = document.querySelector("form[data-question] input:not([type=hidden])");
  if (first) { first.focus(); }
});
