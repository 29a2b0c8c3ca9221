// marsad pages: light up every sentence of one claim (in every column) when one is hovered or focused.
// No text is ever inserted from here; only classes change.
"use strict";
(function () {
  function claimMarks(el) {
    var id = el.getAttribute("data-claim");
    if (id === null || id === "") return [];
    return document.querySelectorAll('mark[data-claim="' + CSS.escape(id) + '"]');
  }
  function toggle(event, on) {
    var el = event.target.closest ? event.target.closest("mark[data-claim]") : null;
    if (!el) return;
    claimMarks(el).forEach(function (m) { m.classList.toggle("active", on); });
  }
  document.addEventListener("mouseover", function (e) { toggle(e, true); });
  document.addEventListener("mouseout", function (e) { toggle(e, false); });
  document.addEventListener("focusin", function (e) { toggle(e, true); });
  document.addEventListener("focusout", function (e) { toggle(e, false); });
  document.querySelectorAll("mark[data-claim]").forEach(function (m) { m.tabIndex = 0; });
})();
