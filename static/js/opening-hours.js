/*
 * The opening hours widget (producers/forms/hours/), made short enough for a phone.
 * Without JavaScript every day shows its state and its three ranges, and everything works.
 * With it: a closed day folds to one line; an open day shows its filled ranges (at least one) and an
 * "add a range" button; a day's hours can be copied to the next day, and Monday's to Tuesday–Friday. Setting a
 * day back to "closed" clears its times and its error messages. Copies are announced in an aria-live region.
 * Buttons and messages come translated from the template (data-* attributes): nothing here needs a catalogue.
 */
(() => {
  "use strict";

  const CLOSED = "closed";

  class Day {
    constructor(element) {
      this.element = element;
      this.state = element.querySelector("[data-state]");
      this.ranges = [...element.querySelectorAll("[data-range]")];
      this.actions = element.querySelector("[data-actions]");
      this.addButton = element.querySelector("[data-add-range]");
    }

    inputs(range) {
      return [...range.querySelectorAll("input")];
    }

    isFilled(range) {
      return this.inputs(range).some((input) => input.value !== "");
    }

    get closed() {
      return this.state.value === CLOSED;
    }

    // The ranges to show: those filled, and at least the first; a later empty one only once asked for.
    layout({ keep = 0 } = {}) {
      const lastFilled = this.ranges.reduce((last, range, index) => (this.isFilled(range) ? index : last), -1);
      const shown = this.closed ? 0 : Math.max(lastFilled + 1, keep, 1);
      this.ranges.forEach((range, index) => {
        range.hidden = index >= shown;
      });
      this.element.classList.toggle("opening-hours-day--closed", this.closed);
      this.actions.hidden = this.closed;
      this.addButton.hidden = shown >= this.ranges.length;
      return shown;
    }

    shownCount() {
      return this.ranges.filter((range) => !range.hidden).length;
    }

    addRange() {
      const shown = this.layout({ keep: this.shownCount() + 1 });
      // Also where the focus must go when the button disappears with the last range.
      this.ranges[shown - 1].querySelector("input").focus();
    }

    clearErrors() {
      const message = this.element.querySelector(".opening-hours-error");
      if (message) {
        message.remove();
      }
      this.element.classList.remove("opening-hours-day--error");
      this.element.querySelectorAll("[aria-invalid], [aria-describedby]").forEach((control) => {
        control.removeAttribute("aria-invalid");
        control.removeAttribute("aria-describedby");
      });
    }

    close() {
      this.ranges.forEach((range) => this.inputs(range).forEach((input) => (input.value = "")));
      this.clearErrors();
      this.layout();
    }

    copyFrom(other) {
      this.state.value = other.state.value;
      this.ranges.forEach((range, index) => {
        const source = other.inputs(other.ranges[index]);
        this.inputs(range).forEach((input, position) => (input.value = source[position].value));
      });
      this.clearErrors();
      this.layout({ keep: other.shownCount() });
    }
  }

  function setup(widget) {
    const days = [...widget.querySelectorAll("[data-day]")].map((element) => new Day(element));
    if (days.length !== 7) {
      return;
    }
    const status = widget.querySelector("[data-status]");
    const announce = (message) => {
      // A change of text is what screen readers announce: empty first so the same message is read again.
      status.textContent = "";
      window.requestAnimationFrame(() => (status.textContent = message));
    };

    days.forEach((day, index) => {
      day.layout();
      day.state.addEventListener("change", () => (day.closed ? day.close() : day.layout()));
      day.addButton.addEventListener("click", () => day.addRange());
      day.element.querySelectorAll("[data-copy]").forEach((button) => {
        button.addEventListener("click", () => {
          const targets = button.dataset.copy === "weekdays" ? days.slice(1, 5) : [days[index + 1]];
          targets.forEach((target) => target.copyFrom(day));
          announce(button.dataset.copied);
        });
      });
    });
    widget.classList.add("opening-hours-widget--enhanced");
  }

  const init = () => document.querySelectorAll("[data-opening-hours]").forEach(setup);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* A market's hours often need weeks of the month, a season or dates: on the listing form, choosing the kind
   "market" unfolds that part of the widget (it stays reachable for every kind, and without JavaScript). */
(() => {
  "use strict";
  const kind = document.querySelector("select[name='kind']");
  const calendar = document.querySelector("[data-calendar]");
  if (!kind || !calendar) return;
  const follow = () => {
    if (kind.value === "market") calendar.open = true;
  };
  kind.addEventListener("change", follow);
  follow();
})();
