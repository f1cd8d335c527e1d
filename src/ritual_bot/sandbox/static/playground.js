// Draws the ```mermaid blocks the server rendered as <pre class="mermaid"> (their text escaped),
// with the vendored Mermaid build. Strict security: labels are sanitised and no click handlers run.
// When drawing is done, <body data-mermaid="done"> tells tests (and anyone) the page is complete.
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  var done = function () { document.body.dataset.mermaid = "done"; };
  if (!window.mermaid || !document.querySelector("pre.mermaid")) { done(); return; }
  window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });
  window.mermaid.run({ querySelector: "pre.mermaid" }).then(done, done);
});
