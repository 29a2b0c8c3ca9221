// marsad story page: the sources stored since the reader's last visit to this story are marked, and
// sources that join the story while the page is open are announced (server-sent events from
// /api/events), each named with its outlet and title. Text goes in through textContent only.
// The visit is kept in the browser's localStorage, per story, as the server's time when the page was
// rendered; a source is new when the store received it later (its arrival, not its publication
// time: a report dated yesterday that arrived an hour ago is new to the reader).
"use strict";
(function () {
  var story = document.querySelector("article.story[data-story][data-now]");
  if (!story) return;
  var storyId = story.getAttribute("data-story");
  var words = window.marsadWords(story);
  var key = "marsad.storyVisit." + storyId;
  var last = null;
  try { last = window.localStorage.getItem(key); } catch (e) { /* storage off: no marks */ }
  var since = last ? Date.parse(last) : NaN;
  if (!isNaN(since)) {
    story.querySelectorAll("li.source-card[data-arrived]").forEach(function (card) {
      var arrived = Date.parse(card.getAttribute("data-arrived"));
      if (isNaN(arrived) || arrived <= since) return;
      card.classList.add("fresh");
      var badge = document.createElement("span");
      badge.className = "badge fresh";
      badge.textContent = words.msg("new-since");
      card.appendChild(badge);
    });
  }
  var now = story.getAttribute("data-now");
  window.addEventListener("pagehide", function () {
    try { window.localStorage.setItem(key, now); } catch (e) { /* ignore */ }
  });

  if (!window.EventSource) return;
  var banner = document.createElement("div");
  banner.className = "live-banner notice";
  banner.setAttribute("role", "status");
  banner.hidden = true;
  var heading = document.createElement("p");
  var joined = document.createElement("ul");
  var reload = document.createElement("a");
  reload.href = window.location.pathname;
  reload.textContent = words.msg("reload");
  banner.appendChild(heading);
  banner.appendChild(joined);
  banner.appendChild(reload);
  var title = story.querySelector("h1");
  title.parentNode.insertBefore(banner, title.nextSibling);
  var seen = {};
  story.querySelectorAll("li.source-card[data-article]").forEach(function (card) {
    seen[card.getAttribute("data-article")] = true;
  });
  var count = 0;
  var source = new EventSource("/api/events");
  source.addEventListener("article", function (e) {
    var data = JSON.parse(e.data);
    if (data.story_id !== storyId || seen[data.article_id]) return;
    seen[data.article_id] = true;
    count += 1;
    heading.textContent = words.counted("sources", count);
    var li = document.createElement("li");
    li.setAttribute("data-article", data.article_id);
    var outlet = document.createElement("bdi");
    outlet.className = "source";
    outlet.textContent = data.outlet || "";
    var link = document.createElement("a");
    link.href = "/articles/" + encodeURIComponent(data.article_id);
    link.dir = "auto";
    link.textContent = data.title || data.article_id;
    li.appendChild(outlet);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(link);
    joined.appendChild(li);
    banner.hidden = false;
  });
})();
