// marsad story list, live: stories and articles stored while the page is open appear without a
// reload (server-sent events from /api/events; polling /api/stories where EventSource is missing),
// and stories that changed since the last visit are marked. Text goes in through textContent only.
"use strict";
(function () {
  var list = document.querySelector("ol.story-list[data-live]");
  if (!list) return;
  var KEY = "marsad.lastVisit";
  var lastVisit = null;
  try { lastVisit = window.localStorage.getItem(KEY); } catch (e) { /* storage off: no marks */ }
  var opened = new Date().toISOString();

  // New since the last visit: the story's latest article is newer than that visit.
  if (lastVisit) {
    list.querySelectorAll("li.story-card").forEach(function (card) {
      var t = card.querySelector("time[datetime]");
      if (t && t.getAttribute("datetime") > lastVisit) mark(card, "new since your last visit");
    });
  }
  window.addEventListener("pagehide", function () {
    try { window.localStorage.setItem(KEY, opened); } catch (e) { /* ignore */ }
  });

  var banner = document.createElement("p");
  banner.className = "live-banner notice";
  banner.hidden = true;
  list.parentNode.insertBefore(banner, list);
  var fresh = 0;
  function announce() {
    fresh += 1;
    banner.textContent = fresh + " update" + (fresh === 1 ? "" : "s") + " since you opened this page";
    banner.hidden = false;
  }
  function mark(card, why) {
    card.classList.add("fresh");
    if (!card.querySelector(".badge.fresh")) {
      var b = document.createElement("span");
      b.className = "badge fresh";
      b.textContent = why;
      var meta = card.querySelector(".story-meta") || card;
      meta.appendChild(b);
    }
  }
  function card(storyId) {
    return list.querySelector('li.story-card[data-story="' + CSS.escape(storyId) + '"]');
  }
  function addStory(data) {
    if (card(data.story_id)) return;
    var li = document.createElement("li");
    li.className = "story-card";
    li.setAttribute("data-story", data.story_id);
    var a = document.createElement("a");
    a.className = "story-title";
    a.href = "/stories/" + encodeURIComponent(data.story_id);
    a.dir = "auto";
    a.textContent = data.title || "(untitled story)";
    var meta = document.createElement("div");
    meta.className = "story-meta";
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = "1 article";
    meta.appendChild(count);
    li.appendChild(a);
    li.appendChild(meta);
    var empty = list.querySelector("li.empty");
    if (empty) empty.remove();
    list.insertBefore(li, list.firstChild);
    mark(li, "new");
    announce();
  }
  function addArticle(data) {
    var li = card(data.story_id);
    if (!li) return;
    var count = li.querySelector(".count");
    if (count && data.story_size) count.textContent = data.story_size + " article" + (data.story_size === 1 ? "" : "s");
    if (!data.new_story) { mark(li, "updated"); announce(); }
  }

  if (window.EventSource) {
    var source = new EventSource("/api/events");
    source.addEventListener("story", function (e) { addStory(JSON.parse(e.data)); });
    source.addEventListener("article", function (e) { addArticle(JSON.parse(e.data)); });
  } else {
    var known = null;
    setInterval(function () {
      fetch("/api/stories?limit=1").then(function (r) { return r.json(); }).then(function (body) {
        if (known !== null && body.total > known) { banner.textContent = "New stories: reload to see them"; banner.hidden = false; }
        known = body.total;
      }).catch(function () { /* try again next time */ });
    }, 20000);
  }
})();
