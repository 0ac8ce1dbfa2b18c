// factsite search: loads the index the build wrote beside the page (search.json: words mapped
// to their stems, and each claim's stems, link, quote and verdict) and lists the claims that
// hold a stem of every word typed. No server, no library; a request to the site itself only.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list || !status) return;
  // Results shown at once; the count says how many more were found.
  var LIMIT = 200;
  var fold = function (s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };
  var terms = {};
  var folded = [];
  var docs = [];
  var ready = false;
  var hint = status.textContent;

  // The stems a typed word can stand for: its own, or those of words it begins (typing).
  function candidates(word) {
    var out = new Set(terms[word] || []);
    if (out.size === 0 || word.length >= 3) {
      folded.forEach(function (w) {
        if (word.length >= 2 && w.indexOf(word) === 0) terms[w].forEach(function (s) { out.add(s); });
      });
    }
    return out;
  }

  function item(d) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = d.url;
    a.textContent = d.quote;
    var meta = document.createElement("span");
    meta.className = "result-meta";
    var badge = document.createElement("span");
    badge.className = "verdict " + d.class;
    badge.textContent = d.verdict;
    meta.appendChild(badge);
    meta.appendChild(document.createTextNode(" " + d.source));
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(meta);
    return li;
  }

  function run() {
    if (!ready) return;
    var query = fold(input.value).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    list.textContent = "";
    if (query.length === 0) {
      status.textContent = hint;
      return;
    }
    var sets = query.map(candidates);
    var found = docs.filter(function (d) {
      return sets.every(function (set) {
        for (var s of set) if (d.stems.has(s)) return true;
        return false;
      });
    });
    var fragment = document.createDocumentFragment();
    found.slice(0, LIMIT).forEach(function (d) { fragment.appendChild(item(d)); });
    list.appendChild(fragment);
    if (found.length === 0) {
      status.textContent = status.getAttribute("data-none");
    } else {
      var text = status.getAttribute("data-found").replace("{n}", String(found.length));
      if (found.length > LIMIT) text += " " + status.getAttribute("data-more").replace("{n}", String(LIMIT));
      status.textContent = text;
    }
  }

  var q = new URLSearchParams(window.location.search).get("q");
  if (q) input.value = q;
  input.addEventListener("input", run);
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    var url = new URL(window.location.href);
    url.searchParams.set("q", input.value);
    window.history.replaceState(null, "", url);
    run();
  });

  fetch(status.getAttribute("data-index"))
    .then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    })
    .then(function (index) {
      Object.keys(index.terms).forEach(function (w) {
        var f = fold(w);
        (terms[f] = terms[f] || []).push(index.terms[w]);
      });
      folded = Object.keys(terms);
      docs = index.docs.map(function (d) {
        d.stems = new Set(d.stems);
        return d;
      });
      ready = true;
      run();
    })
    .catch(function () {
      status.textContent = status.getAttribute("data-failed");
    });
})();
