/*
 * The directory pages' layout on top of the server-rendered page, which works without it:
 *
 * - on narrow screens, a list/map switch (the map otherwise sits below the whole list);
 * - on wide screens, the filters panel (a <details>, folded for phones) starts open;
 * - the filter form leaves its empty fields out of the URL (the server redirects such URLs too; this saves the
 *   round trip), so a shared search is a short URL.
 *
 * Plain ES2017 loaded with <script defer>, no inline script (Content-Security-Policy).
 */
(function () {
  "use strict";

  // The breakpoint of static/css/map.css where the list and the map sit side by side.
  const WIDE = window.matchMedia("(min-width: 60em)");

  function setUpSwitch(layout) {
    const switcher = layout.querySelector(".view-switch");
    if (!switcher) {
      return;
    }
    const buttons = switcher.querySelectorAll("[data-view]");
    function show(view) {
      layout.classList.toggle("directory-layout--map", view === "map");
      buttons.forEach((button) => button.setAttribute("aria-pressed", String(button.dataset.view === view)));
    }
    buttons.forEach((button) => button.addEventListener("click", () => show(button.dataset.view)));
    layout.classList.add("directory-layout--switchable");
    switcher.hidden = false;
  }

  function openPanelOnWideScreens(panel) {
    if (WIDE.matches) {
      panel.open = true;
    }
  }

  function submitWithoutEmptyFields(form) {
    form.addEventListener("submit", (event) => {
      const params = new URLSearchParams();
      new FormData(form).forEach((value, name) => {
        if (typeof value === "string" && value.trim() !== "") {
          params.append(name, value);
        }
      });
      event.preventDefault();
      const query = params.toString();
      window.location.assign(form.action.split("?")[0] + (query ? "?" + query : ""));
    });
  }

  function init() {
    document.querySelectorAll("[data-directory]").forEach(setUpSwitch);
    document.querySelectorAll("[data-filters-panel]").forEach(openPanelOnWideScreens);
    document.querySelectorAll("form.filters[method='get']").forEach(submitWithoutEmptyFields);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
