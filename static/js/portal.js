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
  // The phone menu: a button that opens and closes the navigation drawer (Escape closes it too).
  function menuSet(open) {
    var toggle = document.querySelector("[data-menu-toggle]");
    var menu = document.querySelector("[data-menu]");
    if (!toggle || !menu) return;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("is-open", open);
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest && event.target.closest("[data-menu-toggle]");
    if (toggle) {
      menuSet(toggle.getAttribute("aria-expanded") !== "true");
      return;
    }
    var menu = document.querySelector("[data-menu].is-open");
    if (menu && !menu.contains(event.target)) menuSet(false);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = document.querySelector("[data-menu].is-open");
    if (!menu) return;
    menuSet(false);
    var toggle = document.querySelector("[data-menu-toggle]");
    if (toggle) toggle.focus();
  });

  // The language switch returns to the page as it is now: with the filters that htmx pushed into
  // the address bar after the page was rendered (the server filled in the rendered URL).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-language-form]")) return;
    var next = form.querySelector("input[name=next]");
    if (next) next.value = window.location.pathname + window.location.search + window.location.hash;
  });

  // Styled file inputs: show the chosen file's name next to the button.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-file-input]")) return;
    var name = document.getElementById(input.id + "-name");
    if (!name) return;
    var files = input.files ? Array.prototype.map.call(input.files, function (f) { return f.name; }) : [];
    name.textContent = files.length ? files.join(", ") : name.getAttribute("data-empty");
    name.classList.toggle("has-file", files.length > 0);
  });
  document.addEventListener("reset", function (event) {
    event.target.querySelectorAll && event.target.querySelectorAll(".file-input-name").forEach(function (name) {
      name.textContent = name.getAttribute("data-empty");
      name.classList.remove("has-file");
    });
  });

  // Inline validation swaps a field's message: the field follows (aria-invalid, red border).
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("field-message")) return;
    var invalid = !!target.querySelector(".field-error");
    document.querySelectorAll("[aria-describedby~='" + target.id + "']").forEach(function (input) {
      if (invalid) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
    var field = target.closest(".field");
    if (field) field.classList.toggle("field-has-error", invalid);
  });

  // A table wider than the screen scrolls inside its .table-wrap: such a box takes keyboard
  // focus and is named after its table (WCAG "scrollable region focusable"), so keyboard users
  // can scroll it too. Boxes that fit are left alone.
  function scrollableTables(root) {
    (root || document).querySelectorAll(".table-wrap").forEach(function (box) {
      if (box.hasAttribute("tabindex") && !box.hasAttribute("data-scroll-focus")) return;
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("data-scroll-focus")) {
        var section = box.closest("section, .card, main");
        var heading = section && section.querySelector("h1, h2, h3, caption");
        var caption = box.querySelector("caption");
        var name = (caption || heading || {}).textContent || "";
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("data-scroll-focus", "");
        if (name.trim()) box.setAttribute("aria-label", name.trim());
      } else if (!scrolls && box.hasAttribute("data-scroll-focus")) {
        ["tabindex", "role", "data-scroll-focus", "aria-label"].forEach(function (a) {
          box.removeAttribute(a);
        });
      }
    });
  }
  scrollableTables();
  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(scrollableTables, 150);
  });
  document.body.addEventListener("htmx:afterSettle", function (event) {
    scrollableTables(event.detail && event.detail.elt && event.detail.elt.parentNode);
  });
})();
