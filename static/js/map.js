/*
 * Directory maps, on Leaflet (from django-leaflet) and Leaflet.markercluster (static/vendor/).
 *
 * Plain ES2017 loaded with <script defer>, no inline script, so a strict Content-Security-Policy holds.
 * Every <div class="listing-map"> on the page becomes a map:
 *
 *   data-geojson-url="…"  the listings of the page as GeoJSON (producers/maps.py); the page's own query string is
 *                         appended, so the map shows what the filtered list shows (every page of it, not only the
 *                         current one), with the visible box and zoom (`bbox`, `zoom`): the server answers the
 *                         listings one by one, or clusters (a count, a centroid, bounds) when the box holds too many.
 *                         Asked again after each move (debounced, the previous request aborted, answers kept for
 *                         views they cover).
 *   data-fit="listings"   the first request asks for all the page's listings (no box) and the view fits them
 *                         (department and town pages); without it the map asks for its view from the start.
 *   data-lat, data-lon, data-name
 *                         one listing instead (the listing page): a single marker, nothing fetched.
 *   data-tiles-url, data-tiles-attribution, data-center="lat,lon", data-zoom, data-leaflet-images
 *   data-bounds="west,south,east,north"
 *                         the view to open on, instead of data-center and data-zoom (the national map).
 *   data-labels='{"zoomIn": …, "zoomOut": …, "closePopup": …, "clusterOne": "%(count)s …", "clusterOther": …,
 *                 "newTab": "(opens in a new tab)"}'
 *                         Leaflet's words and the clusters' names in the page's language (Leaflet only knows English).
 *   data-links-target="_blank"
 *                         the popups' links open a new tab, their name saying so (the map embedded in other sites).
 * Links <a data-map-bounds="west,south,east,north" data-map-for="<the map's id>"> move the map there when it is
 * displayed, and stay plain links otherwise (the national map's overseas departments).
 *
 * The list beside the map stays the primary, accessible content; the map is an extra view of it. What the box
 * holds before the script runs (a sentence for visitors without JavaScript) is removed when the map starts.
 * A map that is not displayed (a phone showing the list, see directory.js) starts when it first shows: Leaflet
 * needs its size, and a phone that never asks for the map never downloads its data.
 * Once its markers are placed the map gets data-map-state="ready", data-marker-count (the listings it shows, a
 * cluster counting for its listings) and data-cluster-count (the server's clusters on it); "loading" while a request
 * runs, "error" when the data could not be loaded; data-request-count counts the requests made (browser tests).
 */
(function () {
  "use strict";

  const DEFAULT_CENTER = [46.6, 2.4];
  const DEFAULT_ZOOM = 6;
  const SINGLE_ZOOM = 14;
  // Enough to tell farms apart without zooming in on a single one, which would show nothing around it.
  const FIT_MAX_ZOOM = 15;
  // After a move, the map waits this long for the next one before asking for its new view.
  const MOVE_DEBOUNCE_MS = 100;
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

  /* "west,south,east,north" as Leaflet bounds, or null. */
  function parseBounds(value) {
    const parts = String(value || "").split(",").map(number);
    if (parts.length !== 4 || !parts.every(Number.isFinite)) {
      return null;
    }
    return L.latLngBounds([parts[1], parts[0]], [parts[3], parts[2]]);
  }

  /* Links that show a place on a map (the national map's overseas departments): the map moves there instead. */
  function setUpJumps(container, map) {
    if (!container.id) {
      return;
    }
    document.querySelectorAll('a[data-map-bounds][data-map-for="' + container.id + '"]').forEach((link) => {
      const bounds = parseBounds(link.dataset.mapBounds);
      if (!bounds) {
        return;
      }
      link.addEventListener("click", (event) => {
        // A map out of sight (a phone showing the list) leaves the link to the department's page.
        if (!isDisplayed(container)) {
          return;
        }
        event.preventDefault();
        map.fitBounds(bounds);
        container.scrollIntoView({ block: "nearest" });
      });
    });
  }

  /*
   * The one place that knows the GeoJSON contract of the listing views (producers/maps.py); adapt it if the keys
   * change. Returns null for a feature without usable coordinates, else a listing or a cluster
   * ({cluster: true, count, bounds: [west, south, east, north]}).
   */
  function readFeature(feature, data) {
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
    if (properties.count !== undefined) {
      const bounds = Array.isArray(properties.bounds) ? properties.bounds.map(number) : [];
      return {
        cluster: true,
        lat: lat,
        lon: lon,
        count: number(properties.count) || 0,
        bounds: bounds.length === 4 && bounds.every(Number.isFinite) ? bounds : null,
      };
    }
    const names = data.categories || {};
    const state = (data.hours || [])[properties.hours] || [null, ""];
    const slug = String(properties.slug || "");
    return {
      id: feature.id,
      lat: lat,
      lon: lon,
      name: String(properties.name || ""),
      url: slug && data.listing_url ? String(data.listing_url).replace("{slug}", encodeURIComponent(slug)) : "",
      categories: (properties.categories || []).map((id) => names[id]).filter(Boolean).join(", "),
      isOpen: typeof state[0] === "boolean" ? state[0] : null,
      openLabel: state[1] ? String(state[1]) : "",
      market: properties.market === true,
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
    return form.replace("%(count)s", new Intl.NumberFormat(lang).format(count));
  }

  /* What the eye reads on a cluster: "22 808" would overflow its circle, "23 k" fits (the label keeps the count). */
  function shortCount(count) {
    if (count < 1000) {
      return String(count);
    }
    const lang = document.documentElement.lang || "fr";
    return new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 }).format(count);
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

  /* Popup content built as DOM nodes with textContent: names and categories come from producers' input.
   * `newTab`: the words saying that the link opens a new tab (the embedded map), or nothing. */
  function popupContent(item, newTab) {
    const box = element("div", "map-popup");
    const url = safeUrl(item.url);
    const title = element("p", "map-popup-name");
    if (url) {
      const link = element("a", "", item.name);
      link.href = url;
      if (newTab) {
        link.target = "_blank";
        link.rel = "noopener";
        link.appendChild(document.createTextNode(" "));
        link.appendChild(element("span", "visually-hidden", newTab));
      }
      title.appendChild(link);
    } else {
      title.textContent = item.name;
    }
    box.appendChild(title);
    if (item.market && item.marketLabel) {
      box.appendChild(element("p", "map-popup-kind", item.marketLabel));
    }
    if (item.categories) {
      box.appendChild(element("p", "map-popup-categories", item.categories));
    }
    if (item.openLabel) {
      const state = item.isOpen === true ? "is-open" : item.isOpen === false ? "is-closed" : "is-unknown";
      box.appendChild(element("p", "map-popup-status " + state, item.openLabel));
    }
    return box;
  }

  /* Markets, pick-up points and fairs: a square marker with a stall drawn in it, not the round pin, so that they
     differ by shape and not by colour alone; their name says "Marché" too (labels.market). */
  const MARKET_ICON_HTML =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">' +
    '<path d="M3 9 5 4h14l2 5M3 9h18M3 9c0 1.7 1.3 3 3 3s3-1.3 3-3c0 1.7 1.3 3 3 3s3-1.3 3-3c0 1.7 1.3 3 3 3s3-1.3 ' +
    '3-3M5 12v8h14v-8M10 20v-5h4v5" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round"/>' +
    "</svg>";

  function marketIcon() {
    return L.divIcon({ html: MARKET_ICON_HTML, className: "market-marker", iconSize: L.point(30, 30), popupAnchor: [0, -12] });
  }

  function markerFor(item, labels, newTab) {
    // title and alt give each (focusable) marker an accessible name.
    const named = item.market && labels && labels.marketNamed;
    const name = named ? labels.marketNamed.replace("%(name)s", item.name) : item.name;
    const options = { title: name, alt: name, keyboard: true };
    if (item.market) {
      options.icon = marketIcon();
      item.marketLabel = (labels && labels.market) || "";
    }
    const marker = L.marker([item.lat, item.lon], options);
    // Built on opening only: 10,000 popups built up front would cost more than the markers themselves.
    marker.bindPopup(() => popupContent(item, newTab));
    return marker;
  }

  function baseMap(container, labels) {
    if (container.dataset.leafletImages) {
      L.Icon.Default.imagePath = container.dataset.leafletImages;
    }
    const center = parseCenter(container.dataset.center) || DEFAULT_CENTER;
    const zoom = Number.isFinite(number(container.dataset.zoom)) ? number(container.dataset.zoom) : DEFAULT_ZOOM;
    // worldCopyJump: panned past 180°, the map comes back to the real world, where the listings are.
    const map = L.map(container, { center: center, zoom: zoom, zoomControl: false, worldCopyJump: true });
    const bounds = parseBounds(container.dataset.bounds);
    if (bounds) {
      map.fitBounds(bounds, { animate: false });
    }
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

  /* The GeoJSON URL with the page's filters, and the visible box and zoom when given. */
  function geojsonUrl(container, box, zoom) {
    const url = new URL(container.dataset.geojsonUrl, window.location.href);
    const params = new URLSearchParams(window.location.search);
    PAGE_ONLY_PARAMS.forEach((name) => params.delete(name));
    params.forEach((value, name) => url.searchParams.append(name, value));
    if (box) {
      url.searchParams.set("bbox", box.map((value) => value.toFixed(4)).join(","));
    }
    if (zoom !== undefined) {
      url.searchParams.set("zoom", String(zoom));
    }
    return url.href;
  }

  /* Markercluster's own icon, with the count named for screen readers and on hover ("3 activités"). */
  function clusterIcon(labels) {
    return (cluster) => countIcon(labels, cluster.getChildCount());
  }

  function countIcon(labels, count) {
    const size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    const label = countLabel(labels, count);
    // Leaflet makes the icon a focusable button named by its content: this label, where the eye sees the count.
    const inner = element("div");
    inner.appendChild(element("span", "", shortCount(count)));
    inner.setAttribute("aria-label", label);
    inner.title = label;
    return L.divIcon({ html: inner, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
  }

  /*
   * The visible box, widened to whole tiles plus half a tile on each side: a small pan or a popup opening near an
   * edge stays inside what was already fetched, and maps of the same size at the same place ask the same URL
   * (cached by the browser and the server).
   */
  function requestBox(map) {
    const bounds = map.getBounds();
    const step = 360 / Math.pow(2, map.getZoom());
    const down = (value) => Math.floor(value / step - 0.5) * step;
    const up = (value) => Math.ceil(value / step + 0.5) * step;
    const box = [
      Math.max(down(bounds.getWest()), -180),
      Math.max(down(bounds.getSouth()), -90),
      Math.min(up(bounds.getEast()), 180),
      Math.min(up(bounds.getNorth()), 90),
    ];
    if (box[0] >= box[2]) {
      // The view lies wholly on another copy of the world (beyond ±180°): ask for the whole width instead.
      box[0] = -180;
      box[2] = 180;
    }
    return box;
  }

  function boxContains(outer, inner) {
    return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] && outer[3] >= inner[3];
  }

  function viewBox(map) {
    const bounds = map.getBounds();
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()];
  }

  /*
   * A map that asks the server for what it shows: on start, then after each move (debounced; a newer move aborts
   * the request still running). Server clusters are drawn as count markers that zoom in when clicked; listings as
   * markers, which Leaflet.markercluster still groups when they sit too close to tell apart.
   */
  function collectionMap(container, map, labels) {
    const listings = L.markerClusterGroup({ showCoverageOnHover: false, iconCreateFunction: clusterIcon(labels) });
    const clusters = L.layerGroup();
    map.addLayer(listings);
    map.addLayer(clusters);
    const markers = new Map(); // listing id → marker: a listing already shown keeps its marker (and open popup)
    const answers = []; // recent answers, newest first: {box, zoom, clustered, items}
    let controller = null;
    let timer = null;
    let requests = 0;
    let shown = null; // the answer on the map
    // The embedded map (another site's frame) opens listings in a new tab, and says so.
    const newTab = container.dataset.linksTarget === "_blank" ? labels.newTab || "" : "";

    function clusterMarker(item) {
      const label = countLabel(labels, item.count);
      const marker = L.marker([item.lat, item.lon], {
        icon: countIcon(labels, item.count),
        title: label,
        alt: label,
        keyboard: true,
      });
      // Leaflet clicks a focused marker on Enter, so the keyboard zooms in too.
      marker.on("click", () => zoomInto(item));
      return marker;
    }

    function zoomInto(item) {
      const zoom = map.getZoom();
      const max = map.getMaxZoom();
      let target = zoom + 2;
      let center = L.latLng(item.lat, item.lon);
      if (item.bounds) {
        const bounds = L.latLngBounds([item.bounds[1], item.bounds[0]], [item.bounds[3], item.bounds[2]]);
        target = Math.max(map.getBoundsZoom(bounds.pad(0.1)), zoom + 1);
        center = bounds.getCenter();
      }
      map.setView(center, Math.min(target, max));
    }

    function render(items) {
      const seen = new Set();
      const added = [];
      let total = 0;
      clusters.clearLayers();
      items.forEach((item) => {
        if (item.cluster) {
          clusters.addLayer(clusterMarker(item));
          total += item.count;
          return;
        }
        total += 1;
        const key = item.id !== undefined ? String(item.id) : item.lat + "," + item.lon + "," + item.name;
        seen.add(key);
        if (!markers.has(key)) {
          const marker = markerFor(item, labels, newTab);
          markers.set(key, marker);
          added.push(marker);
        }
      });
      const gone = [];
      markers.forEach((marker, key) => {
        if (!seen.has(key)) {
          gone.push(marker);
          markers.delete(key);
        }
      });
      listings.removeLayers(gone);
      listings.addLayers(added);
      container.dataset.clusterCount = String(clusters.getLayers().length);
      container.dataset.markerCount = String(total);
      container.dataset.mapState = "ready";
    }

    /*
     * An earlier answer that holds everything the view shows: its box contains the view, and it has the listings
     * one by one (good at any zoom) or clusters for this very zoom.
     */
    function cachedAnswer(box, zoom) {
      return answers.find(
        (answer) =>
          (answer.box === null || boxContains(answer.box, box)) && (answer.zoom === zoom || !answer.clustered),
      );
    }

    async function load(first) {
      const zoom = map.getZoom();
      // A department's or a town's map first asks for all its listings, then fits its view to them.
      const fit = first && container.dataset.fit === "listings";
      const box = fit ? null : requestBox(map);
      const cached = fit ? null : cachedAnswer(viewBox(map), zoom);
      if (cached) {
        if (controller) {
          controller.abort(); // an older view's answer, which must not replace this one
          controller = null;
        }
        if (cached !== shown) {
          shown = cached;
          render(cached.items);
        }
        return;
      }
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      container.dataset.mapState = "loading";
      requests += 1;
      container.dataset.requestCount = String(requests);
      const response = await fetch(geojsonUrl(container, box, zoom), {
        credentials: "same-origin",
        headers: { Accept: "application/geo+json, application/json" },
        signal: controller.signal,
      });
      if (!response.ok) {
        throw new Error("GeoJSON " + response.status + " " + response.url);
      }
      const data = await response.json();
      const items = (data.features || []).map((feature) => readFeature(feature, data)).filter(Boolean);
      if (fit && items.length) {
        // The view is set before the markers go in, so they are clustered once for the final zoom. Clusters fit
        // by their bounds, listings by their points; the move then asks for the new view if it needs to.
        const points = [];
        items.forEach((item) => {
          points.push([item.lat, item.lon]);
          if (item.bounds) {
            points.push([item.bounds[1], item.bounds[0]], [item.bounds[3], item.bounds[2]]);
          }
        });
        map.fitBounds(L.latLngBounds(points), { padding: [24, 24], maxZoom: FIT_MAX_ZOOM, animate: false });
      }
      const answer = { box: box, zoom: zoom, clustered: Boolean(data.clustered), items: items };
      answers.unshift(answer);
      answers.length = Math.min(answers.length, 20);
      shown = answer;
      render(items);
    }

    function report(error) {
      if (error.name === "AbortError") {
        return; // a newer view asked in its place
      }
      container.dataset.mapState = "error";
      console.error("listing map:", error);
    }

    map.on("moveend", () => {
      clearTimeout(timer);
      timer = setTimeout(() => load(false).catch(report), MOVE_DEBOUNCE_MS);
    });
    load(true).catch(report);
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
      collectionMap(container, map, labels);
      setUpJumps(container, map);
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
