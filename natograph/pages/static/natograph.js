// natograph's query console (/queries): run stored queries from their forms and SPARQL from the
// editor; show the rows as a table under the query's own column headings, with CSV/JSON download
// links. Its words come from the page (#console-words); IRIs become links only by
// natographLinks.safeHref (static/links.js). No framework, no CDN: this file ships in the wheel.
"use strict";
(function () {
  const lang = document.body.dataset.lang || "en";
  const words = JSON.parse(document.getElementById("console-words").textContent);
  const safeHref = window.natographLinks.safeHref;
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    const href = term.type === "uri" ? safeHref(term.value) : null;
    if (href) {
      const a = document.createElement("a");
      const local = "https://w3id.org/natograph/";
      a.href = href.startsWith(local) ? href.slice(local.length) + (lang === "fr" ? "?lang=fr" : "") : href;
      a.translate = false;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
      if (term.type !== "literal" || !term["xml:lang"]) td.translate = false;  // a code, the same in every language
    }
    return td;
  }

  function count(n) { return n === 1 ? words.one_row : words.rows.replace("{n}", String(n)); }

  function show(data, headings) {
    results.replaceChildren();
    if (typeof data.boolean === "boolean") {
      results.textContent = String(data.boolean);
      return;
    }
    const table = document.createElement("table");
    table.id = "results-table";
    const head = table.createTHead().insertRow();
    for (const name of data.head.vars) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = (headings && headings[name]) || name;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const binding of data.results.bindings) {
      const tr = body.insertRow();
      for (const name of data.head.vars) tr.appendChild(cell(binding[name]));
    }
    results.appendChild(table);
    say(count(data.results.bindings.length));
  }

  async function fetchJson(url, options) {
    say(words.running);
    try {
      const response = await fetch(url, options);
      const text = await response.text();
      if (!response.ok) {
        let message = text;
        try { message = JSON.parse(text).error || text; } catch (e) { /* plain text */ }
        say(message.trim(), true);
        results.replaceChildren();
        downloads.hidden = true;
        return null;
      }
      return JSON.parse(text);
    } catch (error) {
      say(String(error), true);
      return null;
    }
  }

  const examples = JSON.parse(document.getElementById("examples").textContent);
  for (const form of document.querySelectorAll("form.query")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const [key, value] of new FormData(form)) if (value !== "") params.append(key, value);
      params.set("lang", lang);
      const url = "queries/" + encodeURIComponent(form.dataset.name) + "?" + params.toString();
      const data = await fetchJson(url, { headers: { Accept: "application/sparql-results+json" } });
      if (data) {
        const query = examples.find((q) => q.name === form.dataset.name);
        const headings = query ? Object.fromEntries(query.columns.map((c, i) => [c, query.headings[i]])) : null;
        show(data, headings);
        document.getElementById("dl-page").href = url;
        document.getElementById("dl-page").hidden = false;
        document.getElementById("dl-csv").href = url + "&format=csv";
        document.getElementById("dl-csv").download = form.dataset.name + ".csv";
        document.getElementById("dl-json").href = url + "&format=json";
        document.getElementById("dl-json").download = form.dataset.name + ".json";
        downloads.hidden = false;
      }
    });
  }

  const editor = document.getElementById("sparql");
  document.getElementById("example").addEventListener("change", (event) => {
    const chosen = examples.find((q) => q.name === event.target.value);
    if (chosen) editor.value = chosen.sparql;
  });
  document.getElementById("editor").addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = editor.value;
    const data = await fetchJson("sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query", Accept: "application/sparql-results+json" },
      body: query,
    });
    if (data) {
      show(data, null);
      document.getElementById("dl-page").hidden = true;
      const url = "sparql?query=" + encodeURIComponent(query);
      document.getElementById("dl-csv").href = url + "&format=csv";
      document.getElementById("dl-csv").download = "results.csv";
      document.getElementById("dl-json").href = url + "&format=json";
      document.getElementById("dl-json").download = "results.json";
      downloads.hidden = false;
    }
  });
})();
