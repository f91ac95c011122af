// Signpost preview: live reload. Added to pages only by `signpost serve`, never to a built site.
(() => {
  "use strict";
  // Decoded, as the server names changed pages: "/notes/café/", not "/notes/caf%C3%A9/".
  const decoded = (pathname) => {
    try { return decodeURIComponent(pathname); } catch { return pathname; }
  };
  const here = decoded(location.pathname);
  // The paths of this site's files that this page has loaded: its scripts, images, icon and
  // anything fetched since (a search index, say).
  const used = () => {
    const urls = performance.getEntriesByType("resource").map((e) => e.name);
    const loaded = 'script[src], img[src], source[src], link[rel~="icon"], link[rel="stylesheet"], link[rel="preload"]';
    for (const e of document.querySelectorAll(loaded)) urls.push(e.src || e.href);
    const paths = new Set();
    for (const url of urls) {
      try {
        const u = new URL(url, location.href);
        if (u.origin === location.origin) paths.add(decoded(u.pathname));
      } catch { /* not a URL */ }
    }
    return paths;
  };
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
    // This page changed, or a file it uses (a script, an image, a stylesheet beside other changes).
    const uses = used();
    if (changed.some((p) => p === here || p === here + "/" || uses.has(p))) reload();
  });
  // A new <link> loads beside the old one, which goes once the new one has loaded, so the page
  // is never shown unstyled; a link already being replaced is left to its replacement.
  events.addEventListener("css", () => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]:not([data-signpost-old])')) {
      const url = new URL(link.href);
      url.searchParams.set("signpost-reload", String(Date.now()));
      const next = link.cloneNode();
      next.href = url.href;
      link.setAttribute("data-signpost-old", "");
      next.addEventListener("load", () => link.remove(), { once: true });
      next.addEventListener("error", () => { next.remove(); link.removeAttribute("data-signpost-old"); }, { once: true });
      link.after(next);
    }
  });
  events.addEventListener("build-error", (event) => showError(event.data));
  events.addEventListener("ok", () => {
    if (overlay) { overlay.remove(); overlay = null; }
    reload();
  });
})();
