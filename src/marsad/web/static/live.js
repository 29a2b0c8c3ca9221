// marsad story list, live: stories and articles stored while the page is open appear without a
// reload (server-sent events from /api/events; polling /api/stories where EventSource is missing),
// and stories that changed since the last visit are marked. Text goes in through textContent only;
// the words come from the page (data-msg-*, data-plural-*: the reader's interface language).
"use strict";
(function () {
  var list = document.querySelector("ol.story-list[data-live]");
  if (!list) return;
  var KEY = "marsad.lastVisit";
  var words = window.marsadWords(list), msg = words.msg, counted = words.counted;
  var lastVisit = null;
  try { lastVisit = window.localStorage.getItem(KEY); } catch (e) { /* storage off: no marks */ }
  // The server's clock, not the browser's: a visit is compared with times the server wrote.
  var opened = list.getAttribute("data-now") || new Date().toISOString();

  // New since the last visit: an article joined the story after that visit (its arrival in the
  // store, not its publication time: a report dated yesterday that arrived since is news to the reader).
  if (lastVisit && !isNaN(Date.parse(lastVisit))) {
    var since = Date.parse(lastVisit);
    list.querySelectorAll("li.story-card[data-updated]").forEach(function (card) {
      if (Date.parse(card.getAttribute("data-updated")) > since) mark(card, msg("new-since"));
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
    banner.textContent = counted("updates", fresh);
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
    a.textContent = data.title || msg("untitled");
    var meta = document.createElement("div");
    meta.className = "story-meta";
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = counted("articles", 1);
    meta.appendChild(count);
    li.appendChild(a);
    li.appendChild(meta);
    var empty = list.querySelector("li.empty");
    if (empty) empty.remove();
    list.insertBefore(li, list.firstChild);
    mark(li, msg("new"));
    announce();
  }
  function addArticle(data) {
    var li = card(data.story_id);
    if (!li) return;
    var count = li.querySelector(".count");
    if (count && data.story_size) count.textContent = counted("articles", data.story_size);
    if (!data.new_story) { mark(li, msg("updated")); announce(); }
  }

  if (window.EventSource) {
    var source = new EventSource("/api/events");
    source.addEventListener("story", function (e) { addStory(JSON.parse(e.data)); });
    source.addEventListener("article", function (e) { addArticle(JSON.parse(e.data)); });
  } else {
    var known = null;
    setInterval(function () {
      fetch("/api/stories?limit=1").then(function (r) { return r.json(); }).then(function (body) {
        if (known !== null && body.total > known) { banner.textContent = msg("reload"); banner.hidden = false; }
        known = body.total;
      }).catch(function () { /* try again next time */ });
    }, 20000);
  }
})();
