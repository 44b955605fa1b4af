/*
 * The embed builder (/integrer/) on top of its server-rendered form, which works without it (a GET form whose
 * answer holds the code and the preview):
 *
 * - each change asks the server for the same page with the form's values and puts its code and preview in place
 *   (the server stays the only one to write the snippet), and the address bar follows, so the page can be shared;
 * - only the fields of the area chosen (a department, or a town and a distance) show;
 * - a "Copy the code" button, whose outcome is announced in the page's status region for screen readers.
 *
 * Plain ES2017 loaded with <script defer>, no inline script (Content-Security-Policy).
 */
(function () {
  "use strict";

  // After a change, the builder waits this long for the next one (a town typed letter by letter).
  const DEBOUNCE_MS = 400;

  function say(status, message) {
    // Emptied first, so the same words are announced again after a second copy.
    status.textContent = "";
    window.setTimeout(() => {
      status.textContent = message;
    }, 100);
  }

  async function copy(text, field) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch (error) {
      field.focus();
      field.select();
      return document.execCommand("copy");
    }
  }

  function setUpResult(result, status) {
    const snippet = result.querySelector("[data-embed-snippet]");
    const button = result.querySelector("[data-embed-copy]");
    if (!snippet || !button) {
      return;
    }
    snippet.addEventListener("focus", () => snippet.select());
    button.hidden = false;
    button.addEventListener("click", async () => {
      const copied = await copy(snippet.value, snippet);
      say(status, copied ? button.dataset.copied : button.dataset.failed);
    });
  }

  /* The form's values, empty ones included: an empty distance means "in this town only", not the default. */
  function query(form) {
    return new URLSearchParams(new FormData(form)).toString();
  }

  function setUp(form) {
    const result = document.querySelector("[data-embed-result]");
    const status = document.querySelector("[data-embed-status]");
    if (!result || !status) {
      return;
    }
    setUpResult(result, status);
    let timer = null;
    let controller = null;

    async function refresh() {
      const url = form.action.split("?")[0] + "?" + query(form);
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      let text;
      try {
        const response = await fetch(url, { signal: controller.signal, headers: { Accept: "text/html" } });
        text = await response.text();
      } catch (error) {
        return; // aborted by a newer change, or offline: the form still submits
      }
      const fresh = new DOMParser().parseFromString(text, "text/html").querySelector("[data-embed-result]");
      if (!fresh) {
        return;
      }
      result.replaceChildren(...Array.from(fresh.childNodes, (node) => document.importNode(node, true)));
      result.dataset.embedState = fresh.querySelector("[data-embed-snippet]") ? "ready" : "incomplete";
      setUpResult(result, status);
      window.history.replaceState(null, "", url);
    }

    function later() {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DEBOUNCE_MS);
    }

    // Only the fields of the area chosen show (without JavaScript all do, and the choice says which count).
    function showArea() {
      const chosen = form.querySelector('input[name="area"]:checked');
      form.querySelectorAll("[data-area]").forEach((field) => {
        field.hidden = Boolean(chosen) && field.dataset.area !== chosen.value;
      });
    }
    form.querySelectorAll('input[name="area"]').forEach((radio) => radio.addEventListener("change", showArea));
    showArea();
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    // The town picked in the suggestions fills the hidden code: the preview follows at once.
    form.addEventListener("autocomplete:select", later);
  }

  function init() {
    document.querySelectorAll("form[data-embed-builder]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
