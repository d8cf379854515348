/* Realign's small behaviours: no framework, no inline script (the CSP forbids it). */
(function () {
  "use strict";

  // Slow work says so: a submitted form or a marked download link shows a note once the
  // work has taken more than a second (quick work shows nothing), and the button or link
  // cannot be used a second time meanwhile.
  var DELAY_MS = 1000;

  function busy(element, text) {
    var note = document.createElement("span");
    note.className = "busy-note ms-2 small text-body-secondary";
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    element.insertAdjacentElement("afterend", note);
    var timer = window.setTimeout(function () {
      note.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>';
      note.appendChild(document.createTextNode(text));
    }, DELAY_MS);
    return function done() {
      window.clearTimeout(timer);
      note.remove();
    };
  }

  // Disabled for the time being: aria-disabled for assistive technology, Bootstrap's
  // .disabled for the eye and the pointer. Not the disabled attribute, which would drop
  // the button's name and value from the submitted form.
  function hold(control) {
    control.setAttribute("aria-disabled", "true");
    control.classList.add("disabled");
    control.dataset.busyHeld = "1";
  }

  function release(control) {
    if (control.dataset.busyHeld !== "1") { return; }
    delete control.dataset.busyHeld;
    control.removeAttribute("aria-disabled");
    control.classList.remove("disabled");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || form.dataset.submitted === "1") {
      if (form.dataset.submitted === "1") { event.preventDefault(); }
      return;
    }
    form.dataset.submitted = "1";
    var button = event.submitter || form.querySelector("[type=submit]");
    if (button) {
      hold(button);
      busy(button, form.dataset.busyText || "Working… this can take a moment.");
    }
  });

  // Downloads (PDF, export) are files: the page stays where it is. The link fetches the file
  // itself, so the note lasts exactly as long as the preparation, however long that is,
  // and a second click while it runs starts nothing. Anything that is not a file (an error
  // page, the sign-in page after a timeout) is shown by following the link as usual.
  function attachmentName(disposition) {
    var encoded = /filename\*\s*=\s*[\w-]+'[^']*'([^;]+)/i.exec(disposition);
    if (encoded) {
      try { return decodeURIComponent(encoded[1].trim()); } catch (error) { /* fall through */ }
    }
    var plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/i.exec(disposition);
    return plain ? (plain[1] || plain[2] || "").trim() : "";
  }

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var anchor = document.createElement("a");
    anchor.href = url;
    anchor.download = name;
    anchor.hidden = true;
    document.body.appendChild(anchor);
    anchor.click();
    anchor.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-busy]");
    if (!link || event.defaultPrevented) { return; }
    // A new tab or window, or a saved link: the browser's own business.
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) { return; }
    if (!window.fetch || !window.URL || !URL.createObjectURL) { return; }
    event.preventDefault();
    if (link.dataset.busyHeld === "1") { return; }
    hold(link);
    var done = busy(link, link.dataset.busy);
    var href = link.href;
    function finish() {
      done();
      release(link);
    }
    fetch(href, { credentials: "same-origin" }).then(function (response) {
      var disposition = response.headers.get("Content-Disposition") || "";
      if (!response.ok || response.redirected || !/^\s*attachment/i.test(disposition)) {
        finish();
        window.location.assign(href);
        return null;
      }
      return response.blob().then(function (blob) {
        save(blob, attachmentName(disposition));
        finish();
      });
    }).catch(function () {
      finish();
      window.location.assign(href);
    });
  });

  // Copy buttons (the share link): the button names the field it copies (data-copy); it is
  // shown only where the browser can copy, and the field stays selectable either way.
  function canCopy() {
    return Boolean(navigator.clipboard && window.isSecureContext) ||
      Boolean(document.queryCommandSupported && document.queryCommandSupported("copy"));
  }

  if (canCopy()) {
    document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  }

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) { event.target.select(); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var field = document.getElementById(button.dataset.copy);
    if (!field) { return; }
    var status = document.getElementById(field.id + "-status");
    function say(text) { if (status) { status.textContent = text; } }
    field.focus();
    field.select();
    function fallback() {
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      say(copied ? "Link copied." : "Press Ctrl+C (⌘C on a Mac) to copy the selected link.");
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { say("Link copied."); }, fallback);
    } else {
      fallback();
    }
  });

  // Printing: the client's cues are part of the printed plan. Browsers that cannot show a
  // closed disclosure's content from CSS (css/print.css) get them opened for the print and
  // closed again after.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.cues:not([open])").forEach(function (details) {
      details.open = true;
      openedForPrint.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (details) { details.open = false; });
    openedForPrint = [];
  });

  // Back/forward cache: a restored page must accept a new submit or download.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
    });
    document.querySelectorAll("[data-busy-held]").forEach(release);
    document.querySelectorAll(".busy-note").forEach(function (n) { n.remove(); });
  });

  // Signing out leaves no entry behind in this tab: the assessment page's drafts
  // (js/drafts.js) are dropped with the session.
  document.addEventListener("submit", function (event) {
    if (!/\/logout\/?$/.test(event.target.getAttribute("action") || "") || !window.sessionStorage) { return; }
    Object.keys(sessionStorage).forEach(function (key) {
      if (key.indexOf("realign-draft:") === 0) { sessionStorage.removeItem(key); }
    });
  });

  // Form errors: the summary at the top of a form that was not saved takes the focus (and
  // so scrolls into view), so a keyboard or screen-reader user starts from the list of what
  // to correct. Each entry links to its field: following it focuses the field, a group of
  // radios or checkboxes by its first box, with its label in view.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link || event.defaultPrevented) { return; }
    var id = decodeURIComponent(link.getAttribute("href").slice(1));
    var field = document.getElementById(id) || document.getElementById(id + "_0");
    if (!field) { return; }
    event.preventDefault();
    var holder = document.getElementById("div_" + id) || field.closest("fieldset, .mb-3") || field;
    field.focus({ preventScroll: true });
    holder.scrollIntoView({ block: "nearest" });
  });
})();
