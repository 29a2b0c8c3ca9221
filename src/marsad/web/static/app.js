// marsad pages: light up both sides of a shared quote or fact when either is hovered or focused.
// No text is ever inserted from here; only classes change.
"use strict";
(function () {
  function pairMarks(el) {
    var id = el.getAttribute("data-pair");
    if (id === null || id === "") return [];
    return document.querySelectorAll('mark[data-pair="' + CSS.escape(id) + '"]');
  }
  function toggle(event, on) {
    var el = event.target.closest ? event.target.closest("mark[data-pair]") : null;
    if (!el) return;
    pairMarks(el).forEach(function (m) { m.classList.toggle("active", on); });
  }
  document.addEventListener("mouseover", function (e) { toggle(e, true); });
  document.addEventListener("mouseout", function (e) { toggle(e, false); });
  document.addEventListener("focusin", function (e) { toggle(e, true); });
  document.addEventListener("focusout", function (e) { toggle(e, false); });
  document.querySelectorAll("mark[data-pair]").forEach(function (m) { m.tabIndex = 0; });
})();
