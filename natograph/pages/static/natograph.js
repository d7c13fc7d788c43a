// natograph's home page: run stored queries from their forms and SPARQL from the editor; show the
// rows as a table with CSV/JSON download links. No framework, no CDN: this file ships in the wheel.
"use strict";
(function () {
  const lang = document.body.dataset.lang || "en";
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");

  function say(text, isError) {
    status.textContent = text;
    status.className = isError ? "error" : "";
  }

  // The one rule (natograph/pages/links.py): only http and https IRIs become links; anything else
  // (javascript:, data:, mailto:, urn: ...) is shown as text.
  function safeHref(iri) {
    return /^https?:/i.test(iri) && !/[\u0000-\u0020\u007f]/.test(iri) ? iri : null;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    const href = term.type === "uri" ? safeHref(term.value) : null;
    if (href) {
      const a = document.createElement("a");
      const local = "https://w3id.org/natograph/";
      a.href = href.startsWith(local) ? href.slice(local.length - 1) : href;
      a.textContent = term.value;
      td.appendChild(a);
    } else {
      td.textContent = term.value;
    }
    return td;
  }

  function show(data) {
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
      th.textContent = name;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const binding of data.results.bindings) {
      const tr = body.insertRow();
      for (const name of data.head.vars) tr.appendChild(cell(binding[name]));
    }
    results.appendChild(table);
    say(data.results.bindings.length + (lang === "fr" ? " lignes" : " rows"));
  }

  async function fetchJson(url, options) {
    say("…");
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

  for (const form of document.querySelectorAll("form.query")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const params = new URLSearchParams();
      for (const [key, value] of new FormData(form)) if (value !== "") params.append(key, value);
      params.set("lang", lang);
      const url = "queries/" + encodeURIComponent(form.dataset.name) + "?" + params.toString();
      const data = await fetchJson(url, { headers: { Accept: "application/sparql-results+json" } });
      if (data) {
        show(data);
        document.getElementById("dl-csv").href = url + "&format=csv";
        document.getElementById("dl-csv").download = form.dataset.name + ".csv";
        document.getElementById("dl-json").href = url + "&format=json";
        document.getElementById("dl-json").download = form.dataset.name + ".json";
        downloads.hidden = false;
      }
    });
  }

  const examples = JSON.parse(document.getElementById("examples").textContent);
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
      show(data);
      const url = "sparql?query=" + encodeURIComponent(query);
      document.getElementById("dl-csv").href = url + "&format=csv";
      document.getElementById("dl-csv").download = "results.csv";
      document.getElementById("dl-json").href = url + "&format=json";
      document.getElementById("dl-json").download = "results.json";
      downloads.hidden = false;
    }
  });
})();
