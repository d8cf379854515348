/* The landmark tool of a posture photo (templates/assessments/photo.html): choose a landmark,
   tap or click the photo to place it, drag any point to adjust it (mouse, pen or finger: Pointer
   Events), zoom and pan, move the chosen point with the arrow keys. A plumb line and a
   horizontal reference help placement. Every change is written to the form's hidden
   `landmarks` field as {name: [x, y]} in image pixels (top-left origin); the server measures.
   A pose model's suggestions (issue 18), when the page has them, are pre-placed for the
   landmarks not saved yet and drawn with a dashed ring until they are dragged off or saved
   (saving confirms them); a proxy the model has (the ear's centre in a side view) is drawn as
   a guide only, never a point. The page writes its data as JSON blocks (json_script: not
   run, so the CSP allows them) whose ids the tool's root names in its data attributes.
   No library and no inline script (the CSP forbids it). */
(function () {
  "use strict";

  var SVG_NS = "http://www.w3.org/2000/svg";
  var DOT_PX = 7;      // a point's visible radius on screen
  var HIT_PX = 24;     // its touch target's radius on screen: 48 px across (WCAG 2.5.5: ≥ 44)
  var TAP_PX = 6;      // a press that moves less than this is a tap, more is a drag
  var MAX_ZOOM = 8;
  var ZOOM_STEP = 1.5;
  var STAGE_MARGIN_PX = 150; // room kept on screen under a tall photo for the toolbar

  // Lines drawn between landmarks: side view, the CVA line and the body's chain; front and
  // back, each left-right pair (the levels).
  var SIDE_CHAIN = ["tragus", "acromion", "greater_trochanter", "knee", "lateral_malleolus"];
  var PAIRS = ["ear", "eye", "acromion", "asis", "iliac_crest", "psis", "knee", "ankle"];
  var COLOURS = ["#d7263d", "#1b998b", "#f46036", "#2e86ab", "#c5d86d", "#8f2d56", "#ffbf47"];
  // A point is still its suggestion within this distance (image pixels): the server's rule.
  var SAME_AS_SUGGESTION_PX = 0.5;
  // How a saved landmark came, in the list (the server's landmark_sources).
  var SOURCE_WORDS = { suggested: "suggested, checked", moved: "moved", hand: "placed by hand" };
  // What a model guide is called beside its marker.
  var GUIDE_WORDS = { tragus: "ear centre (model)" };

  function el(name, attributes, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }

  function clamp(value, low, high) { return Math.min(Math.max(value, low), high); }

  function round1(value) { return Math.round(value * 10) / 10; }

  // The JSON block (a <script type="application/json"> written by json_script) with this id.
  function readJson(id) {
    var node = id ? document.getElementById(id) : null;
    if (!node) { return {}; }
    try {
      var value = JSON.parse(node.textContent);
      return value && typeof value === "object" ? value : {};
    } catch (error) { return {}; }
  }

  // {name: {x, y}} of the [x, y] pairs in ``raw`` whose name is in ``names`` (all if null).
  function pointsOf(raw, names) {
    var points = {};
    Object.keys(raw).forEach(function (name) {
      var value = raw[name];
      if (names && names.indexOf(name) < 0) { return; }
      if (Array.isArray(value) && value.length === 2 && isFinite(value[0]) && isFinite(value[1]) &&
          value[0] !== null && value[1] !== null) {
        points[name] = { x: Number(value[0]), y: Number(value[1]) };
      }
    });
    return points;
  }

  function near(a, b, tolerance) {
    return Boolean(a && b) && Math.hypot(a.x - b.x, a.y - b.y) <= tolerance;
  }

  function Tool(root) {
    this.root = root;
    this.width = Number(root.dataset.width);
    this.height = Number(root.dataset.height);
    this.view = root.dataset.view;
    this.facing = root.dataset.facing || "";
    this.stage = root.querySelector("[data-lm-stage]");
    this.svg = root.querySelector("[data-lm-stage] svg");
    this.status = root.querySelector("[data-lm-status]");
    this.form = root.querySelector("[data-lm-form]");
    this.input = this.form.querySelector("[name=landmarks]");
    this.dirtyNote = root.querySelector("[data-lm-dirty]");
    this.choices = Array.prototype.slice.call(root.querySelectorAll("[data-landmark]"));
    // The page lists them in the order of placing (photo_angles.placing_order).
    this.names = this.choices.map(function (button) { return button.dataset.landmark; });
    this.labels = {};
    this.colours = {};
    var tool = this;
    var parts = [];
    this.choices.forEach(function (button) {
      var name = button.dataset.landmark;
      tool.labels[name] = button.querySelector("[data-label]").textContent.trim();
      // A left-right pair shares its colour; the letter beside each point tells them apart.
      var part = name.replace(/^(left|right)_/, "");
      if (parts.indexOf(part) < 0) { parts.push(part); }
      tool.colours[name] = COLOURS[parts.indexOf(part) % COLOURS.length];
      button.querySelector("[data-swatch]").style.backgroundColor = tool.colours[name];
    });
    this.points = this.read();
    this.input.value = this.serialise();
    // The pose model's suggestions, its guides, the landmarks saved and how each came.
    this.suggested = pointsOf(readJson(root.dataset.suggestions), this.names);
    this.modelGuides = pointsOf(readJson(root.dataset.guides), null);
    this.saved = pointsOf(readJson(root.dataset.saved), this.names);
    this.sources = readJson(root.dataset.sources);
    // Not after a refused save: the points posted are shown as they were.
    var refused = Boolean(this.form.querySelector("[data-error-summary]"));
    var prefilled = root.dataset.prefill === "true" && !refused ? this.prefill() : [];
    this.selected = this.nextUnplaced(-1) || this.names[0] || null;
    this.zoom = 1;
    this.centre = { x: this.width / 2, y: this.height / 2 };
    // The guides start in the middle; a side view's plumb line follows the ankle once placed.
    this.guides = { plumb: this.width / 2, level: this.height / 2 };
    this.pointers = {};
    this.gesture = null;
    this.build();
    this.bind();
    this.fit();
    this.render();
    if (prefilled.length) {
      this.say(prefilled.length + " landmark" + (prefilled.length === 1 ? "" : "s") +
        " suggested by the pose model: check each one, drag any that is off, then save to confirm.");
    }
  }

  // Each suggested landmark not placed yet goes down on its suggestion; the form is then
  // changed (saving is the confirmation). Returns the names placed.
  Tool.prototype.prefill = function () {
    var tool = this;
    var placed = this.names.filter(function (name) {
      return tool.suggested[name] && !tool.points[name];
    });
    placed.forEach(function (name) {
      tool.points[name] = { x: tool.suggested[name].x, y: tool.suggested[name].y };
    });
    if (placed.length) { this.write(); }
    return placed;
  };

  // The point sits where the model suggested it.
  Tool.prototype.onSuggestion = function (name) {
    return near(this.points[name], this.suggested[name], SAME_AS_SUGGESTION_PX);
  };

  // The point is the one saved, and the server said how it came.
  Tool.prototype.savedWithSource = function (name) {
    return Boolean(SOURCE_WORDS[this.sources[name]]) && near(this.points[name], this.saved[name], 0.05);
  };

  // A suggestion still to check: on its suggestion and not saved so.
  Tool.prototype.toCheck = function (name) {
    return this.onSuggestion(name) && !this.savedWithSource(name);
  };

  Tool.prototype.stateOf = function (name) {
    if (!this.points[name]) { return "not placed"; }
    if (this.savedWithSource(name)) { return SOURCE_WORDS[this.sources[name]]; }
    if (this.onSuggestion(name)) { return "suggested: check it"; }
    return "placed";
  };

  Tool.prototype.read = function () {
    // The page's landmarks (after a refused save, those posted), else the field's value.
    var points = {};
    var raw = {};
    try {
      raw = JSON.parse(this.root.dataset.landmarks || this.input.value || "{}") || {};
    } catch (error) { raw = {}; }
    this.names.forEach(function (name) {
      var value = raw[name];
      if (Array.isArray(value) && value.length === 2 && isFinite(value[0]) && isFinite(value[1])) {
        points[name] = { x: Number(value[0]), y: Number(value[1]) };
      }
    });
    return points;
  };

  Tool.prototype.serialise = function () {
    var out = {};
    var points = this.points;
    this.names.forEach(function (name) {
      if (points[name]) { out[name] = [round1(points[name].x), round1(points[name].y)]; }
    });
    return JSON.stringify(out);
  };

  Tool.prototype.write = function () {
    var value = this.serialise();
    if (value !== this.input.value) {
      this.input.value = value;
      if (this.dirtyNote) { this.dirtyNote.hidden = false; }
    }
  };

  Tool.prototype.build = function () {
    this.svg.setAttribute("viewBox", "0 0 " + this.width + " " + this.height);
    this.guideLayer = el("g", { "class": "lm-guides" }, this.svg);
    this.lineLayer = el("g", { "class": "lm-lines" }, this.svg);
    this.modelLayer = el("g", { "class": "lm-model-guides" }, this.svg);
    this.pointLayer = el("g", { "class": "lm-points" }, this.svg);
    this.plumbLine = this.guide("plumb", "lm-guide lm-plumb");
    this.levelLine = this.guide("level", "lm-guide lm-level");
  };

  // A guide: its dashed line and a knob at one end to drag it by. Only the knob takes the
  // pointer, so a guide never stands in the way of placing a point on the line.
  Tool.prototype.guide = function (kind, css) {
    var group = el("g", { "class": css }, this.guideLayer);
    return {
      group: group,
      line: el("line", { "class": "lm-guide-line" }, group),
      hit: el("circle", { "class": "lm-guide-hit", "data-guide": kind }, group),
      knob: el("circle", { "class": "lm-guide-knob" }, group)
    };
  };

  // --- Geometry: screen pixels to image pixels -----------------------------------------------

  Tool.prototype.toImage = function (clientX, clientY) {
    var matrix = this.svg.getScreenCTM();
    if (!matrix) { return { x: 0, y: 0 }; }
    var point = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return { x: clamp(point.x, 0, this.width), y: clamp(point.y, 0, this.height) };
  };

  Tool.prototype.scale = function () {
    // Image pixels per screen pixel at the current zoom.
    var shown = this.svg.getBoundingClientRect().width || 1;
    return this.width / this.zoom / shown;
  };

  // The photo as large as its column allows, and never taller than the window.
  Tool.prototype.fit = function () {
    var available = this.stage.clientWidth || this.width;
    var tallest = Math.max(240, window.innerHeight - STAGE_MARGIN_PX);
    var factor = Math.min(available / this.width, tallest / this.height);
    this.svg.style.width = Math.floor(this.width * factor) + "px";
    this.svg.style.height = Math.floor(this.height * factor) + "px";
    this.render();
  };

  Tool.prototype.viewBox = function () {
    var w = this.width / this.zoom;
    var h = this.height / this.zoom;
    this.centre.x = clamp(this.centre.x, w / 2, this.width - w / 2);
    this.centre.y = clamp(this.centre.y, h / 2, this.height - h / 2);
    return [this.centre.x - w / 2, this.centre.y - h / 2, w, h];
  };

  // Zoom by ``factor`` keeping the image point under (clientX, clientY) where it is.
  Tool.prototype.zoomBy = function (factor, clientX, clientY) {
    var next = clamp(this.zoom * factor, 1, MAX_ZOOM);
    if (next === this.zoom) { return; }
    var rect = this.svg.getBoundingClientRect();
    if (clientX === undefined) {
      clientX = rect.left + rect.width / 2;
      clientY = rect.top + rect.height / 2;
    }
    this.zoomTo(next, this.toImage(clientX, clientY), clientX, clientY);
    this.say("Zoom " + Math.round(next * 10) / 10 + "×.");
  };

  // Zoom to ``zoom`` with the image point ``anchor`` under the screen point (clientX, clientY).
  Tool.prototype.zoomTo = function (zoom, anchor, clientX, clientY) {
    var rect = this.svg.getBoundingClientRect();
    var fx = (clientX - rect.left) / rect.width;
    var fy = (clientY - rect.top) / rect.height;
    this.zoom = clamp(zoom, 1, MAX_ZOOM);
    var w = this.width / this.zoom;
    var h = this.height / this.zoom;
    this.centre = { x: anchor.x - (fx - 0.5) * w, y: anchor.y - (fy - 0.5) * h };
    this.render();
  };

  // --- Drawing --------------------------------------------------------------------------------

  Tool.prototype.render = function () {
    var box = this.viewBox();
    this.svg.setAttribute("viewBox", box.join(" "));
    var s = this.scale();
    this.root.classList.toggle("lm-zoomed", this.zoom > 1);
    this.renderGuides(box, s);
    this.renderLines(s);
    this.renderModelGuides(s);
    this.renderPoints(s);
    this.renderChoices();
  };

  Tool.prototype.renderGuides = function (box, s) {
    var ankle = this.view === "side" ? this.points.lateral_malleolus : null;
    var x = ankle ? ankle.x : this.guides.plumb;
    var y = this.guides.level;
    var plumb = this.plumbLine;
    var line = plumb.line;
    line.setAttribute("x1", x); line.setAttribute("x2", x);
    line.setAttribute("y1", box[1]); line.setAttribute("y2", box[1] + box[3]);
    // Through the ankle, the plumb line is the ankle's: drag the ankle point to move it.
    plumb.group.classList.toggle("lm-fixed", Boolean(ankle));
    this.knob(plumb, x, box[1] + (HIT_PX + 2) * s, s);
    var level = this.levelLine;
    line = level.line;
    line.setAttribute("x1", box[0]); line.setAttribute("x2", box[0] + box[2]);
    line.setAttribute("y1", y); line.setAttribute("y2", y);
    this.knob(level, box[0] + (HIT_PX + 2) * s, y, s);
  };

  Tool.prototype.knob = function (guide, x, y, s) {
    [[guide.knob, 12], [guide.hit, HIT_PX]].forEach(function (pair) {
      pair[0].setAttribute("cx", x);
      pair[0].setAttribute("cy", y);
      pair[0].setAttribute("r", pair[1] * s);
    });
  };

  Tool.prototype.segment = function (a, b, css) {
    if (!a || !b) { return; }
    // A dark halo under each line keeps it visible on a light wall and on dark clothing.
    el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "class": "lm-halo" }, this.lineLayer);
    el("line", { x1: a.x, y1: a.y, x2: b.x, y2: b.y, "class": css }, this.lineLayer);
  };

  Tool.prototype.renderLines = function (s) {
    var layer = this.lineLayer;
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    var p = this.points;
    if (this.view === "side") {
      for (var i = 1; i < SIDE_CHAIN.length; i += 1) {
        this.segment(p[SIDE_CHAIN[i - 1]], p[SIDE_CHAIN[i]], "lm-chain");
      }
      if (p.c7) {
        // The CVA: the horizontal through C7, towards the face, and the line C7 to tragus.
        var ahead = this.facing === "right" ? 1 : -1;
        var reach = p.tragus ? Math.max(Math.abs(p.tragus.x - p.c7.x), 80 * s) : 80 * s;
        var end = { x: clamp(p.c7.x + ahead * reach * 1.3, 0, this.width), y: p.c7.y };
        this.segment(p.c7, end, "lm-horizontal");
        this.segment(p.c7, p.tragus, "lm-cva");
      }
      return;
    }
    var tool = this;
    PAIRS.forEach(function (part) {
      tool.segment(p["left_" + part], p["right_" + part], "lm-pair");
    });
  };

  // The model's proxies (the ear's centre in a side view): a small hollow marker with its
  // name, drawn under the points; it takes no pointer (a tap on it places the chosen point
  // there) and is never saved.
  Tool.prototype.renderModelGuides = function (s) {
    var layer = this.modelLayer;
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    var guides = this.modelGuides;
    var points = this.points;
    // Its name goes above and behind the head, clear of the face where the tragus is; once
    // the landmark is placed, the point's own name is there and the guide's is left out.
    var behind = this.facing === "right" ? -1 : 1;
    Object.keys(guides).forEach(function (name) {
      var at = guides[name];
      var group = el("g", { "class": "lm-model-guide", "data-model-guide": name }, layer);
      el("circle", { cx: at.x, cy: at.y, r: 6 * s, "class": "lm-model-halo" }, group);
      el("circle", { cx: at.x, cy: at.y, r: 6 * s, "class": "lm-model-ring" }, group);
      if (points[name]) { return; }
      var tag = el("text", {
        x: at.x + behind * 8 * s, y: at.y - 9 * s, "text-anchor": behind > 0 ? "start" : "end",
        "font-size": 12 * s, "stroke-width": 3 * s, "class": "lm-model-tag"
      }, group);
      tag.textContent = GUIDE_WORDS[name] || name.replace(/_/g, " ") + " (model)";
    });
  };

  Tool.prototype.renderPoints = function (s) {
    var layer = this.pointLayer;
    while (layer.firstChild) { layer.removeChild(layer.firstChild); }
    var tool = this;
    // The chosen point is drawn last, so it is on top where points overlap.
    var order = this.names.filter(function (name) { return name !== tool.selected; });
    if (this.selected) { order.push(this.selected); }
    order.forEach(function (name) {
      var point = tool.points[name];
      if (!point) { return; }
      var chosen = name === tool.selected;
      var check = tool.toCheck(name);
      var group = el("g", {
        "class": "lm-point" + (chosen ? " lm-chosen" : "") + (check ? " lm-suggested" : ""),
        "data-point": name
      }, layer);
      el("title", {}, group).textContent = tool.labels[name] + (check ? " (suggested: check it)" : "");
      el("circle", { cx: point.x, cy: point.y, r: HIT_PX * s, "class": "lm-hit" }, group);
      if (chosen) {
        el("circle", { cx: point.x, cy: point.y, r: (DOT_PX + 9) * s, "class": "lm-ring" }, group);
      }
      if (check) {
        // A suggestion still to check: a dashed ring round the dot, on a dark halo.
        el("circle", { cx: point.x, cy: point.y, r: (DOT_PX + 4) * s, "class": "lm-suggest-halo" }, group);
        el("circle", { cx: point.x, cy: point.y, r: (DOT_PX + 4) * s, "class": "lm-suggest-ring" }, group);
      }
      el("circle", {
        cx: point.x, cy: point.y, r: DOT_PX * s, "class": "lm-dot", fill: tool.colours[name]
      }, group);
      var tag = el("text", {
        x: point.x + (DOT_PX + 5) * s, y: point.y - (DOT_PX + 3) * s,
        "font-size": 13 * s, "stroke-width": 3 * s, "class": "lm-tag"
      }, group);
      tag.textContent = tool.tag(name);
      // A fine cross marks the exact pixel under the dot.
      el("line", { x1: point.x - 3 * s, y1: point.y, x2: point.x + 3 * s, y2: point.y, "class": "lm-cross" }, group);
      el("line", { x1: point.x, y1: point.y - 3 * s, x2: point.x, y2: point.y + 3 * s, "class": "lm-cross" }, group);
    });
  };

  // The short name written beside a point: L or R in a front or back view, else its word.
  Tool.prototype.tag = function (name) {
    if (/^left_/.test(name)) { return "L"; }
    if (/^right_/.test(name)) { return "R"; }
    return this.labels[name].replace(/ \(.*\)$/, "");
  };

  Tool.prototype.renderChoices = function () {
    var tool = this;
    this.choices.forEach(function (button) {
      var name = button.dataset.landmark;
      var placed = Boolean(tool.points[name]);
      button.setAttribute("aria-pressed", name === tool.selected ? "true" : "false");
      button.classList.toggle("lm-placed", placed);
      button.classList.toggle("lm-to-check", tool.toCheck(name));
      button.querySelector("[data-state]").textContent = tool.stateOf(name);
    });
    var remove = this.root.querySelector("[data-lm-remove]");
    if (remove) { remove.disabled = !(this.selected && this.points[this.selected]); }
    // Beside the photo too, so a phone need not scroll to the list to see what is chosen.
    var chosen = this.root.querySelector("[data-lm-chosen]");
    if (chosen && this.selected) {
      chosen.textContent = "Chosen: " + this.labels[this.selected] +
        (this.toCheck(this.selected) ? " (suggested: drag it if it is off)" :
          this.points[this.selected] ? " (placed: drag it to adjust)" : " (tap the photo where it is)");
    }
  };

  Tool.prototype.say = function (text) {
    if (this.status) { this.status.textContent = text; }
  };

  Tool.prototype.describe = function (name) {
    var point = this.points[name];
    return this.labels[name] + " at x " + Math.round(point.x) + ", y " + Math.round(point.y) + ".";
  };

  // What is said of a point once it is chosen or let go: a suggestion asks to be checked.
  Tool.prototype.describeChosen = function (name) {
    if (this.toCheck(name)) { return "Suggested: " + this.labels[name] + ". Drag it if it is off."; }
    return this.describe(name);
  };

  // --- Changing the points --------------------------------------------------------------------

  Tool.prototype.nextUnplaced = function (from) {
    for (var i = from + 1; i < this.names.length; i += 1) {
      if (!this.points[this.names[i]]) { return this.names[i]; }
    }
    for (var j = 0; j <= from && j < this.names.length; j += 1) {
      if (!this.points[this.names[j]]) { return this.names[j]; }
    }
    return null;
  };

  Tool.prototype.select = function (name, quiet) {
    this.selected = name;
    this.render();
    if (!quiet && name) {
      this.say(this.toCheck(name) ? this.describeChosen(name) :
        this.points[name] ? "Chosen: " + this.describe(name) :
        "Chosen: " + this.labels[name] + ". Tap or click the photo where it is.");
    }
  };

  Tool.prototype.place = function (name, at) {
    this.points[name] = { x: clamp(at.x, 0, this.width), y: clamp(at.y, 0, this.height) };
    this.write();
    this.render();
  };

  Tool.prototype.placed = function (name) {
    // Once a new point is down, the next landmark still to place is chosen.
    var next = this.nextUnplaced(this.names.indexOf(name));
    var text = this.describe(name);
    if (next) {
      this.select(next, true);
      text += " Next: " + this.labels[next] + ".";
    }
    this.say(text);
  };

  Tool.prototype.remove = function () {
    var name = this.selected;
    if (!name || !this.points[name]) { return; }
    delete this.points[name];
    this.write();
    this.render();
    this.say(this.labels[name] + " removed.");
  };

  // --- Pointer: tap to place, drag a point or a guide, drag the photo to pan, pinch to zoom ---

  Tool.prototype.bind = function () {
    var tool = this;
    var svg = this.svg;
    svg.addEventListener("pointerdown", function (event) { tool.down(event); });
    svg.addEventListener("pointermove", function (event) { tool.move(event); });
    svg.addEventListener("pointerup", function (event) { tool.up(event, false); });
    svg.addEventListener("pointercancel", function (event) { tool.up(event, true); });
    svg.addEventListener("wheel", function (event) {
      event.preventDefault();
      tool.zoomBy(event.deltaY < 0 ? 1.2 : 1 / 1.2, event.clientX, event.clientY);
    }, { passive: false });
    this.choices.forEach(function (button) {
      button.addEventListener("click", function () { tool.select(button.dataset.landmark); });
    });
    this.root.addEventListener("click", function (event) {
      var control = event.target.closest("[data-lm-action]");
      if (control) { tool.action(control.dataset.lmAction); }
    });
    this.root.addEventListener("keydown", function (event) { tool.key(event); });
    this.form.addEventListener("submit", function () { tool.write(); });
    window.addEventListener("resize", function () { tool.fit(); });
  };

  Tool.prototype.action = function (name) {
    if (name === "zoom-in") { this.zoomBy(ZOOM_STEP); }
    if (name === "zoom-out") { this.zoomBy(1 / ZOOM_STEP); }
    if (name === "whole") {
      this.zoom = 1;
      this.render();
      this.say("The whole photo.");
    }
    if (name === "remove") { this.remove(); }
    if (name === "next") {
      var at = this.names.indexOf(this.selected);
      this.select(this.names[(at + 1) % this.names.length]);
    }
  };

  Tool.prototype.placeAtCentre = function () {
    if (!this.selected) { return; }
    // The keyboard's way to place: in the middle of what is shown, then the arrow keys.
    var name = this.selected;
    this.place(name, { x: this.centre.x, y: this.centre.y });
    this.say(this.describe(name) + " Move it with the arrow keys.");
  };

  Tool.prototype.down = function (event) {
    if (event.pointerType === "mouse" && event.button !== 0) { return; }
    var panning = event.shiftKey;
    event.preventDefault();
    this.svg.setPointerCapture(event.pointerId);
    this.pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    var ids = Object.keys(this.pointers);
    if (ids.length === 2) {
      // A second finger: pinch, and what the first one began is undone.
      this.undo(this.gesture);
      var middle = this.middle();
      this.gesture = {
        kind: "pinch", distance: this.spread(), zoom: this.zoom,
        anchor: this.toImage(middle.x, middle.y)
      };
      return;
    }
    if (ids.length > 2) { return; }
    var at = this.toImage(event.clientX, event.clientY);
    var hit = panning ? null : this.nearest(event);
    var guide = panning ? null : event.target.closest("[data-guide]");
    if (hit && this.selected && !this.points[this.selected] && hit.distance > DOT_PX + 5) {
      // The chosen landmark is still to place and the press is beside another point (in its
      // wide touch target, not on its dot): it places the chosen one. Pre-placed suggestions
      // sit close to landmarks placed by hand (the acromion by C7).
      hit = null;
    }
    if (hit) {
      var name = hit.name;
      var point = this.points[name];
      this.select(name, true);
      // Grabbed off-centre, the point keeps its offset from the finger: it does not jump.
      this.gesture = {
        kind: "point", name: name, dx: point.x - at.x, dy: point.y - at.y,
        from: { x: point.x, y: point.y }, x: event.clientX, y: event.clientY, moved: false
      };
    } else if (guide && !guide.closest(".lm-fixed")) {
      this.gesture = { kind: "guide", guide: guide.dataset.guide };
    } else if (!panning && this.selected && !this.points[this.selected]) {
      // The chosen landmark is not placed yet: it goes down here and follows the pointer.
      this.gesture = { kind: "point", name: this.selected, dx: 0, dy: 0, fresh: true };
      this.place(this.selected, at);
    } else {
      // Elsewhere, or with Shift held: a drag pans the zoomed photo; a tap (without Shift)
      // moves the chosen point there.
      this.gesture = { kind: "press", x: event.clientX, y: event.clientY, centre: {
        x: this.centre.x, y: this.centre.y }, moved: false, panning: panning };
    }
  };

  // The point whose touch target the press is in, the nearest where targets overlap (not the
  // one drawn on top: close points stay each reachable on its own dot), with its distance
  // in screen pixels; null when none.
  Tool.prototype.nearest = function (event) {
    var matrix = this.svg.getScreenCTM();
    if (!matrix) { return null; }
    var best = null;
    var points = this.points;
    this.names.forEach(function (name) {
      if (!points[name]) { return; }
      var at = new DOMPoint(points[name].x, points[name].y).matrixTransform(matrix);
      var distance = Math.hypot(at.x - event.clientX, at.y - event.clientY);
      if (distance <= HIT_PX && (!best || distance < best.distance)) {
        best = { name: name, distance: distance };
      }
    });
    return best;
  };

  Tool.prototype.undo = function (gesture) {
    if (!gesture || gesture.kind !== "point") { return; }
    if (gesture.fresh) { delete this.points[gesture.name]; } else { this.points[gesture.name] = gesture.from; }
    this.write();
    this.render();
  };

  Tool.prototype.middle = function () {
    var list = Object.keys(this.pointers).map(function (id) { return this.pointers[id]; }, this);
    return { x: (list[0].x + list[1].x) / 2, y: (list[0].y + list[1].y) / 2 };
  };

  Tool.prototype.spread = function () {
    var list = Object.keys(this.pointers).map(function (id) { return this.pointers[id]; }, this);
    return Math.hypot(list[0].x - list[1].x, list[0].y - list[1].y) || 1;
  };

  Tool.prototype.move = function (event) {
    if (!this.pointers[event.pointerId]) { return; }
    this.pointers[event.pointerId] = { x: event.clientX, y: event.clientY };
    var g = this.gesture;
    if (!g) { return; }
    event.preventDefault();
    if (g.kind === "pinch") {
      // Two fingers zoom and pan: the photo's point first between them stays between them.
      if (Object.keys(this.pointers).length < 2) { return; }
      var middle = this.middle();
      this.zoomTo(g.zoom * this.spread() / g.distance, g.anchor, middle.x, middle.y);
      return;
    }
    var at = this.toImage(event.clientX, event.clientY);
    if (g.kind === "point") {
      // A placed point stays put under a tap (a finger's jitter would move a suggestion off
      // its place): it follows the pointer once that has really moved.
      if (!g.fresh && !g.moved && Math.hypot(event.clientX - g.x, event.clientY - g.y) < TAP_PX) {
        return;
      }
      g.moved = true;
      this.place(g.name, { x: at.x + g.dx, y: at.y + g.dy });
    } else if (g.kind === "guide") {
      this.guides[g.guide] = g.guide === "plumb" ? at.x : at.y;
      this.render();
    } else if (g.kind === "press") {
      var dx = event.clientX - g.x;
      var dy = event.clientY - g.y;
      if (!g.moved && Math.hypot(dx, dy) < TAP_PX) { return; }
      g.moved = true;
      if (this.zoom > 1) {
        // Panning: the photo follows the pointer.
        var s = this.scale();
        this.centre = { x: g.centre.x - dx * s, y: g.centre.y - dy * s };
        this.render();
      }
    }
  };

  Tool.prototype.up = function (event, cancelled) {
    if (!this.pointers[event.pointerId]) { return; }
    delete this.pointers[event.pointerId];
    var g = this.gesture;
    if (Object.keys(this.pointers).length > 0) {
      // One finger of a pinch lifted: nothing more until every finger is up.
      if (g && g.kind !== "pinch") { this.gesture = null; }
      return;
    }
    this.gesture = null;
    if (!g || cancelled) { return; }
    if (g.kind === "point") {
      if (g.fresh) { this.placed(g.name); } else { this.say(this.describeChosen(g.name)); }
    } else if (g.kind === "press" && !g.moved && !g.panning && this.selected) {
      // A tap with a placed landmark chosen moves it here.
      this.place(this.selected, this.toImage(event.clientX, event.clientY));
      this.say(this.describe(this.selected));
    }
  };

  // --- Keyboard: arrows move the chosen point, Enter places it, + and - zoom -------------------

  Tool.prototype.key = function (event) {
    var target = event.target;
    if (target.closest("[data-lm-form]") || event.altKey || event.ctrlKey || event.metaKey) { return; }
    var onStage = target === this.stage;
    var onChoice = Boolean(target.closest("[data-landmark]"));
    if (!onStage && !onChoice) { return; }
    var moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (moves[event.key] && this.selected) {
      event.preventDefault();
      if (!this.points[this.selected]) {
        this.say(this.labels[this.selected] + " is not placed yet: press Enter on the photo to place it in the middle.");
        return;
      }
      var step = (event.shiftKey ? 10 : 1) * Math.max(this.scale(), 0.5);
      var point = this.points[this.selected];
      this.place(this.selected, {
        x: point.x + moves[event.key][0] * step, y: point.y + moves[event.key][1] * step
      });
      this.say(this.describe(this.selected));
    } else if (onStage && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      this.placeAtCentre();
    } else if (onStage && (event.key === "+" || event.key === "=")) {
      event.preventDefault();
      this.zoomBy(ZOOM_STEP);
    } else if (onStage && event.key === "-") {
      event.preventDefault();
      this.zoomBy(1 / ZOOM_STEP);
    } else if (onStage && (event.key === "Delete" || event.key === "Backspace")) {
      event.preventDefault();
      this.remove();
    }
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-landmark-tool]"), function (root) {
      root.classList.add("lm-ready");
      root.landmarkTool = new Tool(root);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
