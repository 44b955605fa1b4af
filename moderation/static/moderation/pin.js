/*
 * The pin of the registration form: a draggable marker on a Leaflet map (from django-leaflet) that writes its
 * position into the form's hidden latitude/longitude inputs. Without JavaScript the inputs stay empty and the
 * server puts the pin at the town's centre, as it does for a pin left more than 30 km away from the town.
 * No inline script: the element's data-* attributes configure it.
 *
 * The pin follows the town: when the town field names another town (static/js/autocomplete.js dispatches
 * "autocomplete:select"), the pin moves to that town's point and the hidden INSEE code is set. Picking the
 * same town again leaves a dragged pin where it is.
 *
 * Without a mouse: the marker takes the focus (Tab) and the arrow keys move it, Shift for bigger steps; each move
 * is announced in the element's aria-live region ([data-pin-status], message from data-moved-message). The
 * latitude and longitude are also visible inputs: a valid typed value moves the pin (the server validates them).
 *
 * Once ready the map gets data-pin-state="ready", and data-pin-lat / data-pin-lon follow the marker (used by the
 * browser tests).
 */
(function () {
  "use strict";

  const FRANCE = [46.6, 2.4];
  const FRANCE_ZOOM = 6;
  const ZOOM = 14;
  // Keyboard steps in screen pixels, so a step means the same on screen at every zoom (about 50 m and 500 m at 14).
  const STEP = 5;
  const BIG_STEP = 50;
  const ARROWS = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

  function number(value) {
    return value === undefined || value === null || value === "" ? NaN : Number(String(value).replace(",", "."));
  }

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function setup(element) {
    if (typeof L === "undefined") {
      return;
    }
    const latInput = byId(element.dataset.latInput);
    const lonInput = byId(element.dataset.lonInput);
    if (!latInput || !lonInput) {
      return;
    }
    const communeInput = byId(element.dataset.communeInput);
    const inseeInput = byId(element.dataset.inseeInput);
    if (element.dataset.leafletImages) {
      L.Icon.Default.imagePath = element.dataset.leafletImages;
    }
    const lat = number(latInput.value || element.dataset.lat);
    const lon = number(lonInput.value || element.dataset.lon);
    const placed = Number.isFinite(lat) && Number.isFinite(lon);
    const start = placed ? [lat, lon] : FRANCE;

    const canvas = document.createElement("div");
    canvas.className = "pin-map__canvas";
    // Set through the CSSOM, not a style attribute, so a strict Content-Security-Policy holds.
    canvas.style.height = "320px";
    element.appendChild(canvas);
    const map = L.map(canvas).setView(start, placed ? ZOOM : FRANCE_ZOOM);
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, { attribution: element.dataset.tilesAttribution || "", maxZoom: 19 }).addTo(
        map
      );
    }
    const title = element.dataset.markerTitle || "";
    const marker = L.marker(start, { draggable: true, keyboard: true, title: title, alt: title }).addTo(map);

    function show(latlng) {
      element.dataset.pinLat = latlng.lat.toFixed(6);
      element.dataset.pinLon = latlng.lng.toFixed(6);
    }

    function write(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
      show(latlng);
    }

    show(marker.getLatLng());
    marker.on("dragend", function () {
      write(marker.getLatLng());
    });

    const status = element.querySelector("[data-pin-status]");
    function announce(latlng) {
      if (!status || !element.dataset.movedMessage) {
        return;
      }
      const language = document.documentElement.lang || undefined;
      const decimals = (value) => value.toLocaleString(language, { minimumFractionDigits: 5, maximumFractionDigits: 5 });
      status.textContent = element.dataset.movedMessage
        .replace("{lat}", decimals(latlng.lat))
        .replace("{lon}", decimals(latlng.lng));
    }

    const icon = marker.getElement();
    if (icon) {
      icon.addEventListener("keydown", function (event) {
        const arrow = ARROWS[event.key];
        if (!arrow || event.altKey || event.ctrlKey || event.metaKey) {
          return;
        }
        // The arrows would otherwise scroll the page or pan the map.
        event.preventDefault();
        event.stopPropagation();
        const step = event.shiftKey ? BIG_STEP : STEP;
        // project() rather than latLngToContainerPoint(), which rounds to whole pixels: a move east would drift north.
        const zoom = map.getZoom();
        const point = map.project(marker.getLatLng(), zoom).add([arrow[0] * step, arrow[1] * step]);
        const latlng = map.unproject(point, zoom);
        marker.setLatLng(latlng);
        map.panInside(latlng, { padding: [40, 40] });
        write(latlng);
        announce(latlng);
      });
    }

    // Typed coordinates: the pin follows a valid pair; anything else is left for the server to explain.
    function follow() {
      const typedLat = number(latInput.value);
      const typedLon = number(lonInput.value);
      if (!(Math.abs(typedLat) <= 90 && Math.abs(typedLon) <= 180)) {
        return;
      }
      const latlng = L.latLng(typedLat, typedLon);
      marker.setLatLng(latlng);
      show(latlng);
      map.setView(latlng, Math.max(map.getZoom(), ZOOM));
    }
    latInput.addEventListener("change", follow);
    lonInput.addEventListener("change", follow);
    map.on("click", function (event) {
      marker.setLatLng(event.latlng);
      write(event.latlng);
    });

    if (communeInput) {
      let town = inseeInput ? inseeInput.value : "";
      communeInput.addEventListener("autocomplete:select", function (event) {
        const result = event.detail || {};
        const townLat = number(result.latitude);
        const townLon = number(result.longitude);
        if (!result.insee_code || result.insee_code === town || !Number.isFinite(townLat) || !Number.isFinite(townLon)) {
          return;
        }
        const point = L.latLng(townLat, townLon);
        town = result.insee_code;
        // Tells homonyms apart; the server ignores it if the name is changed afterwards. A guess from a name typed
        // in full only moves the pin: the server asks which homonym was meant.
        if (inseeInput && !result.guessed) {
          inseeInput.value = result.insee_code;
        }
        marker.setLatLng(point);
        write(point);
        map.setView(point, ZOOM);
      });
    }
    // The communes offered when the name fitted several: the pin goes to the one chosen.
    document.querySelectorAll("input[data-commune-choice]").forEach(function (radio) {
      // Its own point: a former commune's (Cannet), not its commune nouvelle's (Riscle). None given, the pin stays.
      const lat = number(radio.dataset.latitude);
      const lon = number(radio.dataset.longitude);
      if (!Number.isFinite(lat) || !Number.isFinite(lon)) return;
      radio.addEventListener("change", function () {
        const point = L.latLng(lat, lon);
        marker.setLatLng(point);
        write(point);
        map.setView(point, ZOOM);
      });
    });

    // Leaflet measures its container once; a form laid out after the script ran needs telling.
    if ("ResizeObserver" in window) {
      new ResizeObserver(function () {
        map.invalidateSize();
      }).observe(canvas);
    }

    element.dataset.pinState = "ready";
  }

  function init() {
    document.querySelectorAll("[data-pin-map]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
