/* Town autocomplete: fills the <datalist> of every input with data-autocomplete-url.
   Without JavaScript the field still works: the server resolves names and postal codes. */
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
  document.querySelectorAll("input[data-autocomplete-url]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) return;
    var lastQuery = "";
    var update = debounce(function () {
      var q = input.value.trim();
      if (q.length < 2 || q === lastQuery) return;
      lastQuery = q;
      fetch(input.dataset.autocompleteUrl + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.results.forEach(function (c) {
            var option = document.createElement("option");
            option.value = c.label;
            option.textContent = c.postal_codes.join(", ");
            list.appendChild(option);
          });
        })
        .catch(function () { /* the server-side look-up still works */ });
    }, 200);
    input.addEventListener("input", update);
  });
})();
