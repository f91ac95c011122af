// Signpost preview: live reload. Added to pages only by `signpost serve`, never to a built site.
(() => {
  "use strict";
  const here = location.pathname;
  const key = "signpost-scroll:" + here;

  // A reload keeps the reader's place on the page.
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    addEventListener("load", () => window.scrollTo(0, Number(saved)));
  }
  const reload = () => {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  };

  let overlay = null;
  const showError = (text) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alertdialog");
      overlay.setAttribute("aria-label", "Build error");
      overlay.id = "signpost-error-overlay";
      Object.assign(overlay.style, {
        position: "fixed", inset: "0", zIndex: "2147483647", overflow: "auto",
        background: "rgba(20,20,20,0.95)", color: "#fff", padding: "2rem",
        font: "14px/1.5 ui-monospace, Menlo, Consolas, monospace",
      });
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.addEventListener("click", () => { overlay.remove(); overlay = null; });
      const heading = document.createElement("h2");
      heading.textContent = "The site did not build";
      const pre = document.createElement("pre");
      pre.style.whiteSpace = "pre-wrap";
      overlay.append(heading, pre, close);
      document.body.append(overlay);
      close.focus();
    }
    overlay.querySelector("pre").textContent = text;
  };

  const paths = (event) => {
    try { return JSON.parse(event.data); } catch { return []; }
  };
  const events = new EventSource("/__signpost/events");
  events.addEventListener("reload", (event) => {
    const changed = paths(event);
    // This page changed, or something every page uses (a script, an image).
    const affects = changed.some((p) => p === here || p === here + "/" || !/(\/|\.html|\.xml|\.txt|\.json|\.csv)$/.test(p));
    if (affects) reload();
  });
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("signpost-reload", String(Date.now()));
      link.href = url.href;
    }
  });
  events.addEventListener("build-error", (event) => showError(event.data));
  events.addEventListener("ok", () => {
    if (overlay) { overlay.remove(); overlay = null; }
    reload();
  });
})();
