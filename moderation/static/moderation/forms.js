/* Public forms (listing, lost link, error report).
   After a refused send the error summary takes the focus, so that a screen reader reads it first and a keyboard
   user starts from it; its links then move the focus to the input itself (following a link to an anchor only
   scrolls). Picking a town with a single postal code fills the postal code, as the server would. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      // The label or legend above the input is what tells what to correct: keep it in view. A part of a field
      // whose inputs' labels say little alone (a day of the opening hours) is kept in view whole, its name first.
      var label =
        target.closest("[data-error-view]") ||
        document.querySelector("label[for='" + target.id + "']") ||
        target.closest("fieldset") ||
        target;
      label.scrollIntoView({ block: "start" });
      target.focus({ preventScroll: true });
    });
  }

  document.querySelectorAll("input[data-postal-code-input]").forEach(function (input) {
    var postal = document.getElementById(input.dataset.postalCodeInput);
    if (!postal) return;
    var filled = "";  // the code this script wrote, replaced when another town is picked
    input.addEventListener("autocomplete:select", function (event) {
      // A homonym guessed from a name typed in full is no answer: its postal code would make the server take it
      // instead of asking which one was meant ("Cannet" with 32400 is Riscle's Cannet).
      if (event.detail.guessed) return;
      var codes = event.detail.postal_codes || [];
      var untouched = postal.value.trim() === "" || postal.value === filled;
      if (!untouched) return;
      filled = codes.length === 1 ? codes[0] : "";
      postal.value = filled;
    });
  });
})();

/* The kind of market only means something for a market: shown when the kind is "market" (or already chosen). */
(function () {
  "use strict";
  var kind = document.querySelector("select[name='kind']");
  var marketType = document.querySelector("select[name='market_type']");
  var field = marketType && marketType.closest(".form-field");
  if (!kind || !field) return;
  function follow() {
    field.hidden = kind.value !== "market" && !marketType.value;
  }
  kind.addEventListener("change", follow);
  follow();
})();

/* A market does not have a stand at other markets: on the sign-up form, choosing the kind "market" hides the rows of
   "Les marchés où vous vendez" (they are refused then, with a message, when sent without JavaScript). */
(function () {
  "use strict";
  var kind = document.querySelector("select[name='kind']");
  var options = document.getElementById("markets-options");
  var section = options && options.closest("fieldset");
  if (!kind || !section) return;
  function follow() {
    var filled = Array.prototype.some.call(section.querySelectorAll("input[type='text']"), function (input) {
      return input.value.trim() !== "";
    });
    section.hidden = kind.value === "market" && !filled;
  }
  kind.addEventListener("change", follow);
  follow();
})();
