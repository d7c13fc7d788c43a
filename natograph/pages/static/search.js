// natograph's search in the static release: no server, so this script finds what the visitor typed
// (?q=) in search.json, the index natograph release writes (natograph/pages/search.py builds it),
// by the very rules the server's /search applies (search.py: fold, rank): accents and case set
// aside, every word typed begins a word of one of a resource's texts; a text equal to what was typed
// first, then one that begins with it, then the others; then by kind, then by label. Links are the
// release's own pages; an IRI from the data passes natographLinks.safeHref first.
"use strict";
(function () {
  const words = JSON.parse(document.getElementById("search-words").textContent);
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");

  function fold(text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }
  function fill(template, values) { return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m)); }
  function labelOf(entry) { return entry.label[words.lang] || entry.label.en || entry.code || entry.path; }
  function rank(entry, wanted, typed) {
    let best = null;
    for (const term of entry.terms) {
      if (term === wanted) return 0;
      if (term.startsWith(wanted)) best = 1;
      else if (best === null) {
        const have = term.split(" ");
        if (typed.every((word) => have.some((w) => w.startsWith(word)))) best = 2;
      }
    }
    return best;
  }
  function compare(a, b) {
    for (let i = 0; i < a.length; i++) {
      if (a[i] < b[i]) return -1;
      if (a[i] > b[i]) return 1;
    }
    return 0;
  }
  // What the server's search() gives: [entries, total]; window.natographSearch.find for the tests.
  function find(entries, text, limit) {
    const wanted = fold(text);
    if (!wanted) return [[], 0];
    const typed = wanted.split(" ");
    const ranked = [];
    for (const entry of entries) {
      const r = rank(entry, wanted, typed);
      if (r !== null) ranked.push([[r, words.order.indexOf(entry.kind), fold(labelOf(entry)), entry.path], entry]);
    }
    ranked.sort((a, b) => compare(a[0], b[0]));
    return [ranked.slice(0, limit).map((pair) => pair[1]), ranked.length];
  }

  function show(entries, text) {
    const [found, total] = find(entries, text, words.limit);
    status.textContent = total === 0 ? fill(words.search_none, { q: text })
      : fill(total === 1 ? words.search_found_one : words.search_found, { n: total, q: text });
    list.replaceChildren(...found.map((entry) => {
      const li = document.createElement("li");
      const a = document.createElement("a");
      if (window.natographLinks.safeHref(entry.iri)) a.href = entry.path + "." + words.lang + ".html";
      a.textContent = labelOf(entry);
      const kind = document.createElement("span");
      kind.className = "badge";
      kind.textContent = words.kinds[entry.kind];
      li.append(a, " ", kind);
      if (entry.code) {
        const code = document.createElement("code");
        code.translate = false;
        code.textContent = entry.code;
        li.append(" ", code);
      }
      return li;
    }));
    more.hidden = total <= found.length;
    more.textContent = fill(words.search_more, { n: words.limit });
  }

  const text = (new URLSearchParams(location.search).get("q") || "").slice(0, words.max_chars);
  document.getElementById("site-search").value = text;
  fetch("search.json").then((response) => response.json()).then((entries) => {
    window.natographSearch = Object.freeze({ find: (t, limit) => find(entries, t, limit || words.limit) });
    if (text) show(entries, text);
    document.documentElement.dataset.searchReady = "true";
  });
})();
