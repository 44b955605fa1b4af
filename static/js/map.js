/*
 * Directory maps, on Leaflet (from django-leaflet) and Leaflet.markercluster (static/vendor/).
 *
 * Plain ES2017 loaded with <script defer>, no inline script, so a strict Content-Security-Policy holds.
 * Every <div class="listing-map"> on the page becomes a map:
 *
 *   data-geojson-url="…"  the listings of the page as GeoJSON; the page's own query string is appended, so the
 *                         map shows what the filtered list shows (every page of it, not only the current one).
 *   data-lat, data-lon, data-name
 *                         one listing instead (the listing page): a single marker, nothing fetched.
 *   data-tiles-url, data-tiles-attribution, data-center="lat,lon", data-zoom, data-leaflet-images
 *   data-labels='{"zoomIn": …, "zoomOut": …, "closePopup": …, "clusterOne": "%(count)s …", "clusterOther": …}'
 *                         Leaflet's words and the clusters' names in the page's language (Leaflet only knows English).
 *
 * The list beside the map stays the primary, accessible content; the map is an extra view of it. What the box
 * holds before the script runs (a sentence for visitors without JavaScript) is removed when the map starts.
 * A map that is not displayed (a phone showing the list, see directory.js) starts when it first shows: Leaflet
 * needs its size, and a phone that never asks for the map never downloads its data.
 * Once its markers are placed the map gets data-map-state="ready" and data-marker-count (used by the browser
 * tests); "error" when the data could not be loaded.
 */
(function () {
  "use strict";

  const DEFAULT_CENTER = [46.6, 2.4];
  const DEFAULT_ZOOM = 6;
  const SINGLE_ZOOM = 14;
  // Enough to tell farms apart without zooming in on a single one, which would show nothing around it.
  const FIT_MAX_ZOOM = 15;
  // Dropped from the page's query string: the map shows every matching listing, not one page of them.
  const PAGE_ONLY_PARAMS = ["page"];

  /* Numbers from data attributes. Tolerates a decimal comma, in case a template forgets `unlocalize`. */
  function number(value) {
    if (value === undefined || value === null || value === "") {
      return NaN;
    }
    return Number(String(value).trim().replace(",", "."));
  }

  function parseCenter(value) {
    if (!value) {
      return null;
    }
    let parts = value.split(",").map((part) => part.trim());
    if (parts.length === 4) {
      // "47,4711,-0,5518": both numbers were localised with a decimal comma.
      parts = [parts[0] + "." + parts[1], parts[2] + "." + parts[3]];
    }
    if (parts.length !== 2) {
      return null;
    }
    const lat = number(parts[0]);
    const lon = number(parts[1]);
    return Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
  }

  /*
   * The one place that knows the GeoJSON contract of the listing views; adapt it if the keys change.
   * Returns null for a feature without usable coordinates.
   */
  function readFeature(feature) {
    const geometry = feature && feature.geometry;
    if (!geometry || geometry.type !== "Point" || !Array.isArray(geometry.coordinates)) {
      return null;
    }
    const lon = number(geometry.coordinates[0]);
    const lat = number(geometry.coordinates[1]);
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) {
      return null;
    }
    const properties = feature.properties || {};
    return {
      lat: lat,
      lon: lon,
      name: String(properties.name || ""),
      url: properties.url || "",
      categories: properties.categories ? String(properties.categories) : "",
      isOpen: typeof properties.is_open === "boolean" ? properties.is_open : null,
      openLabel: properties.open_label ? String(properties.open_label) : "",
    };
  }

  function readLabels(container) {
    try {
      return JSON.parse(container.dataset.labels || "{}");
    } catch (error) {
      return {};
    }
  }

  /* "3 activités": the label of the right plural form for the page's language, with the count put in. */
  function countLabel(labels, count) {
    const one = labels.clusterOne;
    const other = labels.clusterOther;
    if (!one || !other) {
      return String(count);
    }
    const lang = document.documentElement.lang || "fr";
    const form = new Intl.PluralRules(lang).select(count) === "one" ? one : other;
    return form.replace("%(count)s", String(count));
  }

  /* Only our own kind of links: a `javascript:` URL in the data must never become clickable. */
  function safeUrl(url) {
    if (!url) {
      return "";
    }
    try {
      const parsed = new URL(url, window.location.href);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : "";
    } catch (error) {
      return "";
    }
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  /* Popup content built as DOM nodes with textContent: names and categories come from producers' input. */
  function popupContent(item) {
    const box = element("div", "map-popup");
    const url = safeUrl(item.url);
    const title = element("p", "map-popup-name");
    if (url) {
      const link = element("a", "", item.name);
      link.href = url;
      title.appendChild(link);
    } else {
      title.textContent = item.name;
    }
    box.appendChild(title);
    if (item.categories) {
      box.appendChild(element("p", "map-popup-categories", item.categories));
    }
    if (item.openLabel) {
      const state = item.isOpen === true ? "is-open" : item.isOpen === false ? "is-closed" : "is-unknown";
      box.appendChild(element("p", "map-popup-status " + state, item.openLabel));
    }
    return box;
  }

  function markerFor(item) {
    // title and alt give each (focusable) marker an accessible name.
    const marker = L.marker([item.lat, item.lon], { title: item.name, alt: item.name, keyboard: true });
    // Built on opening only: 10,000 popups built up front would cost more than the markers themselves.
    marker.bindPopup(() => popupContent(item));
    return marker;
  }

  function baseMap(container, labels) {
    if (container.dataset.leafletImages) {
      L.Icon.Default.imagePath = container.dataset.leafletImages;
    }
    const center = parseCenter(container.dataset.center) || DEFAULT_CENTER;
    const zoom = Number.isFinite(number(container.dataset.zoom)) ? number(container.dataset.zoom) : DEFAULT_ZOOM;
    const map = L.map(container, { center: center, zoom: zoom, zoomControl: false });
    L.control
      .zoom({ zoomInTitle: labels.zoomIn || "Zoom in", zoomOutTitle: labels.zoomOut || "Zoom out" })
      .addTo(map);
    if (labels.closePopup) {
      // Leaflet writes "Close popup" in English on the popup's close button.
      map.on("popupopen", (event) => {
        const button = event.popup.getElement().querySelector(".leaflet-popup-close-button");
        if (button) {
          button.setAttribute("aria-label", labels.closePopup);
          button.title = labels.closePopup;
        }
      });
    }
    if (container.dataset.tilesUrl) {
      L.tileLayer(container.dataset.tilesUrl, {
        attribution: container.dataset.tilesAttribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    // Leaflet measures its container once; a map revealed or resized later (layout change, rotation) needs telling.
    if ("ResizeObserver" in window) {
      new ResizeObserver(() => map.invalidateSize()).observe(container);
    }
    return map;
  }

  function markReady(container, count) {
    container.dataset.markerCount = String(count);
    container.dataset.mapState = "ready";
  }

  function geojsonUrl(container) {
    const url = new URL(container.dataset.geojsonUrl, window.location.href);
    const params = new URLSearchParams(window.location.search);
    PAGE_ONLY_PARAMS.forEach((name) => params.delete(name));
    params.forEach((value, name) => url.searchParams.append(name, value));
    return url.href;
  }

  /* Markercluster's own icon, with the count named for screen readers and on hover ("3 activités"). */
  function clusterIcon(labels) {
    return (cluster) => {
      const count = cluster.getChildCount();
      const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      const label = countLabel(labels, count);
      // Leaflet makes the icon a focusable button named by its content: this label, where the eye sees the count.
      const inner = element("div");
      inner.appendChild(element("span", "", String(count)));
      inner.setAttribute("aria-label", label);
      inner.title = label;
      return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
    };
  }

  async function showCollection(container, map, labels) {
    const response = await fetch(geojsonUrl(container), {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    });
    if (!response.ok) {
      throw new Error("GeoJSON " + response.status + " " + response.url);
    }
    const data = await response.json();
    const items = (data.features || []).map(readFeature).filter(Boolean);
    if (!items.length) {
      markReady(container, 0);
      return;
    }
    // The view is set before the markers go in, so they are clustered once for the final zoom.
    const bounds = L.latLngBounds(items.map((item) => [item.lat, item.lon]));
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: FIT_MAX_ZOOM, animate: false });
    const markers = items.map(markerFor);
    const clusters = L.markerClusterGroup({
      // Adds markers in slices between frames: 10,000 of them do not freeze the page.
      chunkedLoading: true,
      chunkProgress: (processed, total) => {
        // Also called, with 0 of 0, when the empty group is added to the map.
        if (processed === total && total === markers.length) {
          // Called just before the last slice is put on the map; report once it is there.
          setTimeout(() => markReady(container, total), 0);
        }
      },
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon(labels),
    });
    map.addLayer(clusters);
    clusters.addLayers(markers);
  }

  function showSingle(container, map) {
    const item = {
      lat: number(container.dataset.lat),
      lon: number(container.dataset.lon),
      name: container.dataset.name || "",
      url: "",
      categories: "",
      isOpen: null,
      openLabel: "",
    };
    if (!Number.isFinite(item.lat) || !Number.isFinite(item.lon)) {
      markReady(container, 0);
      return;
    }
    map.setView([item.lat, item.lon], Number.isFinite(number(container.dataset.zoom)) ? map.getZoom() : SINGLE_ZOOM);
    markerFor(item).addTo(map);
    markReady(container, 1);
  }

  function isDisplayed(container) {
    return container.getClientRects().length > 0;
  }

  /* Runs `start` once the container is laid out: at once, or when a hidden map (display: none) is revealed. */
  function whenDisplayed(container, start) {
    if (isDisplayed(container) || !("ResizeObserver" in window)) {
      start();
      return;
    }
    const observer = new ResizeObserver(() => {
      if (isDisplayed(container)) {
        observer.disconnect();
        start();
      }
    });
    observer.observe(container);
  }

  function init(container) {
    if (container.dataset.mapState) {
      return; // already done (script included twice)
    }
    container.dataset.mapState = "waiting";
    whenDisplayed(container, () => start(container));
  }

  function start(container) {
    container.dataset.mapState = "loading";
    container.querySelectorAll(".listing-map__fallback").forEach((node) => node.remove());
    const labels = readLabels(container);
    const map = baseMap(container, labels);
    if (container.dataset.geojsonUrl) {
      showCollection(container, map, labels).catch((error) => {
        container.dataset.mapState = "error";
        console.error("listing map:", error);
      });
    } else {
      showSingle(container, map);
    }
  }

  function initAll() {
    if (typeof L === "undefined" || (document.querySelector(".listing-map[data-geojson-url]") && !L.markerClusterGroup)) {
      console.error("listing map: Leaflet or Leaflet.markercluster is not loaded");
      return;
    }
    document.querySelectorAll(".listing-map").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", initAll);
  } else {
    initAll();
  }
})();
