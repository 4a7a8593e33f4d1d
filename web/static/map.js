// The optional map (Leaflet), as progressive enhancement. The server sends this script only when
// a tile server is configured (map-tiles-url); without it, or without JavaScript, every page
// works the same through its text fields. Everything comes from data-* attributes: the CSP allows
// no inline script.
//
//   <script id="map-script" data-tiles data-attribution data-icon data-icon-2x data-shadow
//           data-hint>  (the layout writes it; render::Page::UseMap)
//   <input data-map-pick="lat,lng">  a location field: a map beside it; a click (or dragging
//           the marker) writes "lat,lng" with 6 decimals into the field, and coordinates typed
//           into the field move the marker. The value names where the map opens ("" = the
//           whole region).
//   <div data-map-points='[{"lat":31.53,"lng":35.09,"label":"...","href":"/..."}]'></div>
//           an empty element that becomes a map of these points (hover shows the label, a click
//           follows href, a path on this site). The page must list the same points as text.
//
// Maps are hidden from assistive technology (aria-hidden) and nothing in them takes keyboard
// focus: the text fields and lists do the whole job, and nobody can be trapped in a map.
(function () {
  'use strict';
  var script = document.getElementById('map-script');
  if (!script || typeof L === 'undefined') return;
  var cfg = script.dataset;
  var REGION = { centre: [31.9, 35.0], zoom: 8 };  // the West Bank and Gaza
  var NEAR = 15;   // zoom for a municipality's centre
  var PLACE = 17;  // zoom for a place already chosen

  var icon = L.icon({
    iconUrl: cfg.icon, iconRetinaUrl: cfg.icon2x, shadowUrl: cfg.shadow,
    iconSize: [25, 41], iconAnchor: [12, 41], tooltipAnchor: [16, -28], shadowSize: [41, 41],
  });

  // "31.5326,35.0998" (Arabic-Indic digits, the Arabic comma and decimal sign too, as the
  // server accepts) -> L.latLng, or null when the text is not coordinates.
  function parse(text) {
    var s = String(text || '')
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); })
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/\u060C/g, ',').replace(/\u066B/g, '.');
    var m = /^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$/.exec(s);
    if (!m) return null;
    var lat = parseFloat(m[1]);
    var lng = parseFloat(m[2]);
    if (Math.abs(lat) > 90 || Math.abs(lng) > 180) return null;
    return L.latLng(lat, lng);
  }

  function format(latlng) {
    var p = latlng.wrap();
    return p.lat.toFixed(6) + ',' + p.lng.toFixed(6);
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  // A Leaflet map in box, for the mouse (and touch) only: no keyboard handler (which would make
  // the container focusable), the zoom buttons out of the tab order, our own plain-text credit.
  function makeMap(box) {
    box.setAttribute('aria-hidden', 'true');
    box.setAttribute('dir', 'ltr');
    box.classList.add('map-box');
    var map = L.map(box, { keyboard: false, scrollWheelZoom: false, attributionControl: false });
    L.tileLayer(cfg.tiles, { maxZoom: 19 }).addTo(map);
    box.querySelectorAll('a, button, [tabindex]').forEach(function (el) {
      el.setAttribute('tabindex', '-1');
    });
    return map;
  }

  function credit() {
    return cfg.attribution ? element('p', 'map-credit', cfg.attribution) : null;
  }

  function picker(input) {
    var wrap = element('div', 'map-picker');
    wrap.setAttribute('aria-hidden', 'true');
    wrap.appendChild(element('p', 'hint', cfg.hint));
    var box = element('div');
    wrap.appendChild(box);
    var c = credit();
    if (c) wrap.appendChild(c);
    input.insertAdjacentElement('afterend', wrap);

    var map = makeMap(box);
    var marker = null;
    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, { icon: icon, keyboard: false, draggable: true }).addTo(map);
      marker.on('dragend', function () {
        input.value = format(marker.getLatLng());
      });
    }
    var chosen = parse(input.value);
    var centre = parse(input.getAttribute('data-map-pick'));
    if (chosen) {
      map.setView(chosen, PLACE);
      place(chosen);
    } else if (centre) {
      map.setView(centre, NEAR);
    } else {
      map.setView(REGION.centre, REGION.zoom);
    }
    map.on('click', function (e) {
      var latlng = e.latlng.wrap();
      place(latlng);
      input.value = format(latlng);
    });
    input.addEventListener('input', function () {
      var latlng = parse(input.value);
      if (!latlng) return;
      place(latlng);
      map.panTo(latlng);
    });
  }

  // A path on this site ("/m/hebron/reports/1"), never another origin or a script URL.
  function localHref(href) {
    return typeof href === 'string' && href.charAt(0) === '/' && href.charAt(1) !== '/' &&
      href.charAt(1) !== '\\' ? href : '';
  }

  function points(box) {
    var list;
    try {
      list = JSON.parse(box.getAttribute('data-map-points'));
    } catch (e) {
      return;
    }
    if (!Array.isArray(list)) return;
    var shown = list.filter(function (p) {
      return p && typeof p.lat === 'number' && typeof p.lng === 'number' &&
        Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;
    });
    if (!shown.length) return;
    var map = makeMap(box);
    var bounds = [];
    shown.forEach(function (p) {
      var latlng = L.latLng(p.lat, p.lng);
      bounds.push(latlng);
      var m = L.marker(latlng, { icon: icon, keyboard: false }).addTo(map);
      // A DOM node, not a string: Leaflet would parse a string as HTML.
      if (p.label) m.bindTooltip(element('span', '', String(p.label)));
      var href = localHref(p.href);
      if (href) m.on('click', function () { window.location.assign(href); });
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], PLACE);
    } else {
      map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: PLACE });
    }
    var c = credit();
    if (c) {
      c.setAttribute('aria-hidden', 'true');
      box.insertAdjacentElement('afterend', c);
    }
  }

  // Once per element, even if the script runs again (a page may add elements and load it anew).
  function once(fn) {
    return function (el) {
      if (el.hasAttribute('data-map-ready')) return;
      el.setAttribute('data-map-ready', '');
      fn(el);
    };
  }
  document.querySelectorAll('input[data-map-pick]').forEach(once(picker));
  document.querySelectorAll('[data-map-points]').forEach(once(points));
}());
