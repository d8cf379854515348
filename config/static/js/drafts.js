/* The assessment page keeps what was typed (templates/assessments/record.html).
 *
 * Each section saves on its own, so what is typed in the other sections is kept as a draft
 * in this tab's sessionStorage, by assessment and section, as it is typed. A draft is put
 * back when the page shows again (after saving another section, adding a section, a
 * refused save, a reload) and dropped once its section is saved. The server stays the
 * source of truth: a draft is only ever put in a form, never saved without the Save button,
 * and a section saved from elsewhere since the draft was typed is saved with the version
 * the draft was typed on, so the server answers with its conflict page (both versions).
 * Leaving the page any other way while a draft waits asks first.
 */
(function () {
  "use strict";

  var page = document.querySelector("[data-drafts]");
  if (!page || !window.sessionStorage) { return; }
  var PREFIX = "realign-draft:" + page.dataset.assessment + ":";
  var version = Number(page.dataset.version);
  var leaving = false;

  function read(key) {
    try { return JSON.parse(sessionStorage.getItem(PREFIX + key) || "null"); } catch (error) { return null; }
  }

  function write(key, draft) {
    try { sessionStorage.setItem(PREFIX + key, JSON.stringify(draft)); } catch (error) { /* full: the prompt still guards */ }
  }

  function drop(key) { sessionStorage.removeItem(PREFIX + key); }

  // What a section's form holds, as the browser would send it (hidden bookkeeping left out:
  // the version, the token and the pain list's management fields stay the server's).
  function entries(form) {
    var list = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "hidden" || el.type === "submit" || el.type === "button") { return; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (option) { list.push([el.name, option.value]); });
        return;
      }
      list.push([el.name, el.value]);
    });
    return list;
  }

  function put(form, list) {
    var byName = {};
    list.forEach(function (pair) { (byName[pair[0]] = byName[pair[0]] || []).push(pair[1]); });
    var used = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit" || el.type === "button" || el.type === "file") { return; }
      var values = byName[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (option) { option.selected = values.indexOf(option.value) !== -1; });
      } else {
        var index = used[el.name] || 0;
        used[el.name] = index + 1;
        if (index < values.length) { el.value = values[index]; }
      }
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  var sections = Array.prototype.map.call(page.querySelectorAll("[data-section]"), function (element) {
    var form = element.querySelector("form");
    return {
      key: element.dataset.section,
      element: element,
      form: form,
      badge: element.querySelector("[data-badge]"),
      note: element.querySelector("[data-draft-note]"),
      bound: element.hasAttribute("data-bound"),
      loaded: entries(form),
      restored: false,
    };
  });

  function badge(section, changed) {
    var label = changed ? page.dataset.changedLabel : section.badge.dataset.label;
    var css = changed ? page.dataset.changedCss : section.badge.dataset.css;
    section.badge.className = "badge " + css;
    section.badge.textContent = label;
  }

  function showNote(section, stale) {
    section.note.hidden = false;
    section.note.querySelector("[data-draft-restored]").hidden = stale;
    section.note.querySelector("[data-draft-stale]").hidden = !stale;
  }

  // Typing: the section's draft follows the form; back to what was loaded, no draft (unless
  // the page shows a refused entry, which is unsaved whatever it holds).
  function remember(section) {
    var now = entries(section.form);
    var changed = !same(now, section.loaded);
    if (changed || section.bound || section.restored) {
      var before = read(section.key) || {};
      write(section.key, {
        version: before.version || version,
        base: before.base === undefined ? (section.bound ? null : section.loaded) : before.base,
        values: now,
      });
    } else {
      drop(section.key);
    }
    badge(section, changed || section.restored);
  }

  sections.forEach(function (section) {
    var draft = read(section.key);
    if (draft && draft.sent !== undefined) {
      // This section was sent from a page of this tab: the server either saved it (the
      // version moved on) or shows the entry again itself (a refused save).
      if (section.bound || version > draft.sent) {
        drop(section.key);
        draft = null;
      } else {
        delete draft.sent;  // the post never arrived: keep it as a draft
      }
    }
    if (section.bound) {
      // A refused entry is shown by the server; kept so that a reload shows it again.
      write(section.key, { version: version, base: null, values: section.loaded });
      return;
    }
    if (!draft || same(draft.values, section.loaded)) {
      if (draft) { drop(section.key); }
      return;
    }
    put(section.form, draft.values);
    section.restored = true;
    var stale = draft.base !== null && !same(draft.base, section.loaded);
    if (stale) {
      // Saved from elsewhere since it was typed: the version it was typed on goes with it,
      // so saving is answered by the conflict page with both versions side by side.
      var lock = section.form.querySelector("input[name=lock_version]");
      if (lock && draft.version) { lock.value = String(draft.version); }
    }
    showNote(section, stale);
    badge(section, true);
    write(section.key, draft);
  });

  sections.forEach(function (section) {
    section.form.addEventListener("input", function () { remember(section); });
    section.form.addEventListener("change", function () { remember(section); });
    section.form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) { return; }
      leaving = true;
      var draft = read(section.key) || { version: version, base: section.loaded };
      draft.values = entries(section.form);
      draft.sent = version;
      write(section.key, draft);
    });
    // Discarding puts back what the page was loaded with (the saved entries).
    section.note.querySelector("[data-discard-draft]").addEventListener("click", function () {
      drop(section.key);
      put(section.form, section.loaded);
      var lock = section.form.querySelector("input[name=lock_version]");
      if (lock) { lock.value = String(version); }
      section.restored = false;
      section.note.hidden = true;
      badge(section, false);
      var first = section.form.querySelector("input:not([type=hidden]), select, textarea");
      if (first) { first.focus(); }
    });
  });

  // A refused save is answered at the section's address: the page's own address takes its
  // place, so a reload shows the page (and the drafts) instead of posting again.
  if (sections.some(function (section) { return section.bound; }) && window.history.replaceState) {
    window.history.replaceState(null, "", page.dataset.recordUrl + window.location.hash);
  }

  // Links that keep the drafts (adding a section) leave without asking.
  document.addEventListener("click", function (event) {
    if (event.target.closest("a[data-keeps-drafts]")) { leaving = true; }
  });

  window.addEventListener("pageshow", function () { leaving = false; });

  window.addEventListener("beforeunload", function (event) {
    if (leaving) { return; }
    var waiting = sections.some(function (section) { return read(section.key) !== null; });
    if (!waiting) { return; }
    event.preventDefault();
    event.returnValue = "";  // older browsers ask only when this is set
  });
})();
