// "Exit this page": leave at once for a neutral site, and do not leave this page in the
// tab's history, so Back does not return to it. The link works without this script; the
// script hides the page at once, uses location.replace, and adds the Shift x3 shortcut.
(() => {
  "use strict";
  const links = document.querySelectorAll("a[data-quick-exit]");
  if (links.length === 0) return;
  const destination = links[0].href;

  const leave = () => {
    document.documentElement.classList.add("quick-exit-active");
    document.title = "Leaving";
    window.location.replace(destination);
  };

  for (const link of links) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      leave();
    });
  }

  // Three presses of Shift within five seconds.
  let presses = [];
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Shift" || event.repeat) return;
    const now = Date.now();
    presses = presses.filter((time) => now - time < 5000);
    presses.push(now);
    if (presses.length >= 3) leave();
  });
})();
