// marsad story page: the articles stored since the reader's last visit to this story are marked.
// The visit is kept in the browser's localStorage, per story, as the server's time when the page was
// rendered; an article is new when the store received it later (its arrival, not its publication
// time: a report dated yesterday that arrived an hour ago is new to the reader).
"use strict";
(function () {
  var story = document.querySelector("article.story[data-story][data-now]");
  if (!story) return;
  var key = "marsad.storyVisit." + story.getAttribute("data-story");
  var last = null;
  try { last = window.localStorage.getItem(key); } catch (e) { /* storage off: no marks */ }
  var label = story.getAttribute("data-msg-new-since") || "";
  var since = last ? Date.parse(last) : NaN;
  if (!isNaN(since)) {
    story.querySelectorAll("li.source-card[data-arrived]").forEach(function (card) {
      var arrived = Date.parse(card.getAttribute("data-arrived"));
      if (isNaN(arrived) || arrived <= since) return;
      card.classList.add("fresh");
      var badge = document.createElement("span");
      badge.className = "badge fresh";
      badge.textContent = label;
      card.appendChild(badge);
    });
  }
  var now = story.getAttribute("data-now");
  window.addEventListener("pagehide", function () {
    try { window.localStorage.setItem(key, now); } catch (e) { /* ignore */ }
  });
})();
