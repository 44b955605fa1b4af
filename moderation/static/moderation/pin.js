/*
 * The pin of the registration form: a draggable marker on a Leaflet map (from django-leaflet) that writes its
 * position into the form's hidden latitude/longitude inputs. Without JavaScript the inputs stay empty and the
 * server puts the pin at the town's centre, as it does for a pin left more than 30 km away from the town. No inline script: the element's data-* attributes configure it.
 * Once ready the map gets data-pin-state="ready" (used by the browser tests).
 */
(function () {
  "use strict";

  const ZOOM = 14;

  function number(value) {
    return value === undefined || value === "" ? NaN : Number(String(value).replace(",", "."));
  }

  function setup(element) {
    if (typeof L === "undefined") {
      return;
    }
    const latInput = document.getElementById(element.dataset.latInput);
    const lonInput = document.getElementById(element.dataset.lonInput);
    if (!latInput || !lonInput) {
      return;
    }
    if (element.dataset.leafletImages) {
      L.Icon.Default.imagePath = element.dataset.leafletImages;
    }
    let lat = number(latInput.value || element.dataset.lat);
    let lon = number(lonInput.value || element.dataset.lon);
    const placed = !Number.isNaN(lat) && !Number.isNaN(lon);
    const canvas = document.createElement("div");
    canvas.className = "pin-map__canvas";
    canvas.style.height = "320px";
    element.appendChild(canvas);
    const map = L.map(canvas).setView(placed ? [lat, lon] : [46.6, 2.4], placed ? ZOOM : 6);
    L.tileLayer(element.dataset.tilesUrl, { attribution: element.dataset.tilesAttribution, maxZoom: 19 }).addTo(map);
    const marker = L.marker(placed ? [lat, lon] : [46.6, 2.4], {
      draggable: true,
      keyboard: true,
      title: element.dataset.markerTitle || "",
    }).addTo(map);

    function write(latlng) {
      latInput.value = latlng.lat.toFixed(6);
      lonInput.value = latlng.lng.toFixed(6);
    }
    marker.on("dragend", function () {
      write(marker.getLatLng());
    });
    map.on("click", function (event) {
      marker.setLatLng(event.latlng);
      write(event.latlng);
    });

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
