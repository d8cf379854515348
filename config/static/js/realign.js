/* Realign's small behaviours: no framework, no inline script (the CSP forbids it). */
(function () {
  "use strict";

  // Slow work says so: a submitted form or a marked download link shows that it is
  // working once it has taken more than a second, and the button cannot be pressed twice.
  function busy(element, text) {
    var note = document.createElement("span");
    note.className = "busy-note ms-2 small text-body-secondary";
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    element.insertAdjacentElement("afterend", note);
    var timer = window.setTimeout(function () {
      note.innerHTML = '<span class="spinner-border spinner-border-sm me-1" aria-hidden="true"></span>' + text;
    }, 1000);
    return function done() {
      window.clearTimeout(timer);
      note.remove();
    };
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
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
      busy(button, form.dataset.busyText || "Working… this can take a moment.");
    }
  });

  // Downloads (PDF, export) open as files: the page stays, so say we are preparing it,
  // and clear the note when the browser has had time to start the download.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-busy]");
    if (!link) { return; }
    var done = busy(link, link.dataset.busy);
    window.setTimeout(done, 8000);
  });

  // Back/forward cache: a restored page must accept a new submit.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitted]").forEach(function (form) {
      delete form.dataset.submitted;
      form.querySelectorAll(".disabled[aria-disabled]").forEach(function (b) {
        b.classList.remove("disabled");
        b.removeAttribute("aria-disabled");
      });
      form.querySelectorAll(".busy-note").forEach(function (n) { n.remove(); });
    });
  });
})();
