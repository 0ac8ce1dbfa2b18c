// factsite search: filters the list of claims on the search page with the index the build
// embedded in the page (words mapped to their stems). No request, no library; without
// JavaScript the page is the full list.
(function () {
  "use strict";
  var data = document.getElementById("search-index");
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!data || !input || !list || !status) return;
  var index = JSON.parse(data.textContent);
  var fold = function (s) {
    return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };
  // Folded word -> stems, so "armee" finds "armée".
  var terms = {};
  var words = Object.keys(index.terms);
  words.forEach(function (w) {
    var f = fold(w);
    (terms[f] = terms[f] || []).push(index.terms[w]);
  });
  var folded = Object.keys(terms);
  var stemsOf = {};
  index.docs.forEach(function (d) {
    stemsOf[d.id] = new Set(d.stems);
  });
  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-claim]"));

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

  function run() {
    var query = fold(input.value).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    var sets = query.map(candidates);
    var shown = 0;
    items.forEach(function (li) {
      var stems = stemsOf[li.getAttribute("data-claim")] || new Set();
      var ok = sets.every(function (set) {
        for (var s of set) if (stems.has(s)) return true;
        return false;
      });
      li.hidden = !ok;
      if (ok) shown += 1;
    });
    if (query.length === 0) {
      status.textContent = status.getAttribute("data-all") || status.textContent;
    } else if (shown === 0) {
      status.textContent = status.getAttribute("data-none");
    } else {
      status.textContent = status.getAttribute("data-found").replace("{n}", String(shown));
    }
  }

  status.setAttribute("data-all", status.textContent);
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
  run();
})();
