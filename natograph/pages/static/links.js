// natograph: the one rule by which an IRI from the data becomes a link in a page's script, as
// natograph/pages/links.py says it for the pages natograph draws: only http and https IRIs (without
// control characters or spaces) are links; anything else (javascript:, data:, mailto:, urn: ...)
// is shown as text. window.natographLinks.safeHref(iri) gives the IRI or null.
"use strict";
(function () {
  function safeHref(iri) {
    return /^https?:/i.test(iri) && !/[\u0000-\u0020\u007f]/.test(iri) ? iri : null;
  }
  window.natographLinks = Object.freeze({ safeHref: safeHref });
})();
