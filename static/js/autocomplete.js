/* Town autocomplete: fills the <datalist> of every input with data-autocomplete-url.
   Without JavaScript the field still works: the server resolves names, labels and postal codes, and asks which
   place was meant when several fit.
   When the value is a known town (a suggestion picked, or a name typed in full and the field left), the input
   dispatches an "autocomplete:select" event whose detail is that town's result (insee_code, latitude…).
   data-department ranks that department's towns first; data-code-name names a hidden field that receives the
   picked town's INSEE code, which tells homonyms apart (the box itself only ever shows the town's label). */
(function () {
  "use strict";
  function debounce(fn, ms) {
    var timer;
    return function () {
      var args = arguments;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(null, args); }, ms);
    };
  }
  function lookUp(input, q) {
    var url = new URL(input.dataset.autocompleteUrl, window.location.href);
    url.searchParams.set("q", q);
    if (input.dataset.department) url.searchParams.set("department", input.dataset.department);
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; });
  }
  function codeField(input) {
    var name = input.dataset.codeName;
    if (!name || !input.form) return null;
    var field = input.form.querySelector('input[type="hidden"][name="' + name + '"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = name;
      input.after(field);
    }
    return field;
  }
  document.querySelectorAll("input[data-autocomplete-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var lastQuery = "";
    var known = {};  // label -> result, for every suggestion shown so far
    function select(result, guessed) {
      // `guessed`: a name typed in full, not a suggestion picked; listeners may only preview it (the pin).
      var detail = Object.assign({}, result, { guessed: Boolean(guessed) });
      input.dispatchEvent(new CustomEvent("autocomplete:select", { detail: detail, bubbles: true }));
    }
    function setCode(value) {
      var field = codeField(input);
      if (field) {
        if (value) {
          field.value = value;
        } else {
          field.remove();  // no empty parameter in the URL
        }
      }
    }
    var update = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === lastQuery || known[q]) return;
      lastQuery = q;
      lookUp(input, q)
        .then(function (data) {
          list.replaceChildren();
          data.results.forEach(function (c) {
            known[c.label] = c;
            var option = document.createElement("option");
            option.value = c.label;
            option.textContent = c.hint || (c.postal_codes || []).join(", ");
            list.appendChild(option);
          });
        })
        .catch(function () { /* the server-side look-up still works */ });
    }, 200);
    input.addEventListener("input", function () {
      // Picking a suggestion puts its label in the field.
      var picked = known[input.value.trim()];
      if (picked) {
        setCode(picked.insee_code);
        select(picked);
      } else {
        setCode("");
        update();
      }
    });
    input.addEventListener("change", function () {
      // A name typed in full: the most populated town of that name, as the server would take. Only the pin follows
      // it; the hidden code is left to a real pick, so that the server still asks which homonym was meant.
      var q = input.value.trim();
      if (q.length < 2 || known[q]) return;
      lookUp(input, q)
        .then(function (data) {
          var name = q.toLocaleLowerCase();
          var match = data.results.filter(function (c) {
            return c.name.toLocaleLowerCase() === name || c.label.toLocaleLowerCase() === name;
          })[0];
          if (match && input.value.trim() === q) select(match, true);
        })
        .catch(function () { /* the server resolves the name when the form is sent */ });
    });
  });
})();
