// Bozor's page behaviour: no inline scripts anywhere (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function showError(message) {
    var box = document.getElementById("htmx-error");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }

  // A failed HTMX request (403 CSRF, 404, 500, network) must show, never fail silently.
  document.body.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var box = document.getElementById("htmx-error");
    var key = "data-msg-" + (xhr.status === 403 ? "403" : xhr.status === 404 ? "404" : "other");
    var message = (box && box.getAttribute(key)) || "Request failed";
    var reference = xhr.getResponseHeader("X-Request-ID");
    showError(reference && xhr.status >= 500 ? message + " (" + reference + ")" : message);
  });
  document.body.addEventListener("htmx:sendError", function () {
    var box = document.getElementById("htmx-error");
    showError((box && box.getAttribute("data-msg-network")) || "Network error");
  });
  document.body.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("htmx-error");
    if (box) box.hidden = true;
  });

  // Elements marked data-autosubmit submit their form on change (language picker, filters).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-autosubmit]") && target.form) {
      if (typeof target.form.requestSubmit === "function") target.form.requestSubmit();
      else target.form.submit();
    }
  });

  // Buttons that ask before acting: data-confirm="question".
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) event.preventDefault();
  });
})();
