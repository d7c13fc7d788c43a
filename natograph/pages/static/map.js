// natograph's map through time: recolour the world map, the legend's counts and the lists for the
// year the slider shows, from the data in <script id="map-data"> (natograph.pages.relations: each
// country's spans, from the stored queries' answers). A span holds on a day when from <= day < until,
// compared as ISO text: the one rule the queries and the Python side apply. No framework, no CDN.
"use strict";
(function () {
  const root = document.getElementById("map");
  if (!root) return;
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const words = data.words;
  const slider = document.getElementById("map-year");
  const output = document.getElementById("map-day");
  const info = document.getElementById("map-info");
  const svg = root.querySelector("svg.worldmap");
  const lists = document.getElementById("map-lists");
  const CODE = /^[A-Z]{2}$/;

  const shapes = {};  // code -> its path and marker
  for (const el of svg.querySelectorAll("[data-code]")) (shapes[el.dataset.code] = shapes[el.dataset.code] || []).push(el);

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  const now = new Date();
  const today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  const thisYear = now.getFullYear();

  function dayOf(year) { return year >= thisYear ? today : year + "-12-31"; }
  function holds(span, day) {
    return (span.from === null || span.from <= day) && (span.until === null || day < span.until);
  }
  function relationOf(span) { return span.status === "suspended" ? "suspended" : span.relation; }
  function rank(span) { return data.relations.indexOf(relationOf(span)); }
  function colour(spans) {
    for (const relation of data.relations) if (spans.some((s) => relationOf(s) === relation)) return relation;
    return null;
  }
  function fill(template, values) { return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m)); }
  function longDate(day) {
    const [y, m, d] = day.split("-").map(Number);
    return (data.lang === "fr" && d === 1 ? "1er" : String(d)) + " " + words.months[m - 1] + " " + y;
  }
  function label(entry, code) { return entry.label[data.lang] || entry.label.en || code; }
  function describe(entry, code, spans) {
    const name = label(entry, code);
    if (!spans.length) return fill(words.no_relation, { name: name });
    const parts = spans.slice().sort((a, b) => rank(a) - rank(b)).map((s) => {
      let what = data.names[s.relation];
      if (s.status === "suspended") what = fill(words.suspended_in, { framework: what });
      return what + " (" + (s.joined ? fill(words.since, { date: s.joined }) : words.undated) + ")";
    });
    return name + words.colon + " " + parts.join("; ");
  }
  function link(code) { return CODE.test(code) ? data.link.replace("{code}", code) : null; }

  // What the map shows on any day (an ISO date): code -> relation, for the countries that hold one.
  // Also window.natographMap.coloursOn, so the tests can hold it to the queries day by day.
  function coloursOn(day) {
    const out = {};
    for (const code of Object.keys(data.countries)) {
      const relation = colour(data.countries[code].spans.filter((s) => holds(s, day)));
      if (relation) out[code] = relation;
    }
    return out;
  }
  window.natographMap = Object.freeze({ coloursOn: coloursOn });

  function show(year) {
    const day = dayOf(year);
    const groups = {};
    for (const relation of data.relations) groups[relation] = [];
    for (const code of Object.keys(data.countries)) {
      const entry = data.countries[code];
      const spans = entry.spans.filter((s) => holds(s, day));
      const relation = colour(spans);
      const text = describe(entry, code, spans);
      const css = "rel-" + (relation || "none").toLowerCase();
      for (const el of shapes[code] || []) {  // touch only what changes: each change restyles the map
        if (el.getAttribute("class") !== css) el.setAttribute("class", css);
        const title = el.parentNode.querySelector("title");
        if (title && title.textContent !== text) title.textContent = text;
      }
      if (relation) groups[relation].push({ code: code, label: label(entry, code), text: text });
    }
    const shown = fill(day === today ? words.today : words.as_of, { date: longDate(day) });
    output.textContent = shown;
    slider.setAttribute("aria-valuetext", shown);
    document.getElementById("map-lists-heading").textContent = fill(words.lists, { date: longDate(day) });
    for (const relation of data.relations) {
      const found = groups[relation].sort((a, b) => a.label.localeCompare(b.label, data.lang));
      const section = lists.querySelector('section[data-relation="' + relation + '"]');
      const key = found.map((c) => c.text).join("\n");
      if (section.dataset.shown === key) continue;
      section.dataset.shown = key;
      root.querySelector('.legend .count[data-relation="' + relation + '"]').textContent = found.length;
      section.querySelector(".count").textContent = found.length;
      const items = found.map((c) => {
        const li = document.createElement("li");
        const a = document.createElement("a");
        a.href = link(c.code);
        a.title = c.text;
        a.textContent = c.label;
        li.appendChild(a);
        return li;
      });
      if (!items.length) {
        const li = document.createElement("li");
        li.className = "empty";
        li.textContent = words.empty;
        items.push(li);
      }
      section.querySelector("ul").replaceChildren(...items);
    }
    root.dataset.day = day;
  }

  function go(year, remember) {
    const y = Math.min(Math.max(year, Number(slider.min)), Number(slider.max));
    slider.value = String(y);
    show(y);
    if (remember) {
      const params = new URLSearchParams(location.search);
      params.set("year", String(y));
      history.replaceState(null, "", "?" + params.toString());
      const other = document.getElementById("other-lang");  // the other language, as of the same year
      if (other) {
        const target = new URL(other.href);
        target.searchParams.set("year", String(y));
        other.href = target.href;
      }
    }
  }

  // The release is written once: its slider ends in the year it was built; a visitor's ends today.
  if (Number(slider.max) < thisYear) {
    const atEnd = slider.value === slider.max;
    slider.max = String(thisYear);
    if (atEnd) slider.value = slider.max;
  }
  const asked = new URLSearchParams(location.search).get("year");
  go(/^\d{4}$/.test(asked || "") ? Number(asked) : Number(slider.value), false);

  slider.addEventListener("input", () => go(Number(slider.value), true));
  document.getElementById("map-prev").addEventListener("click", () => go(Number(slider.value) - 1, true));
  document.getElementById("map-next").addEventListener("click", () => go(Number(slider.value) + 1, true));

  function name(event) {
    const shape = event.target.closest("a") || event.target.closest("[data-code]");
    const title = shape && shape.querySelector("title");
    if (title) info.textContent = title.textContent;
  }
  svg.addEventListener("mouseover", name);
  svg.addEventListener("focusin", name);
})();
