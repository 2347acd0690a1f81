// Product pages: a placeholder for a photo that fails to load, and the list's selection
// (select all, the count, bulk buttons enabled only with a selection).
(function () {
  "use strict";

  function usePlaceholder(img) {
    var placeholder = img.getAttribute("data-placeholder");
    if (!placeholder || img.getAttribute("data-failed")) return;
    img.setAttribute("data-failed", "1");
    img.removeAttribute("srcset");
    img.classList.add("thumb-empty");
    img.src = placeholder;
  }

  function checkImages(root) {
    var images = (root || document).querySelectorAll("img[data-placeholder]");
    for (var i = 0; i < images.length; i++) {
      // A photo that failed before this script ran: complete, yet without pixels.
      if (images[i].complete && images[i].naturalWidth === 0 && images[i].getAttribute("src")) {
        usePlaceholder(images[i]);
      }
    }
  }

  // error does not bubble: listen in the capture phase, for photos swapped in by htmx too.
  document.addEventListener(
    "error",
    function (event) {
      var target = event.target;
      if (target && target.tagName === "IMG" && target.hasAttribute("data-placeholder")) {
        usePlaceholder(target);
      }
    },
    true
  );

  // The boxes and buttons join the bulk form by its form attribute: form.elements finds them.
  function members(form, attribute) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.hasAttribute(attribute);
    });
  }

  function updateSelection(form) {
    var picks = members(form, "data-pick");
    var checked = picks.filter(function (pick) {
      return pick.checked;
    }).length;
    members(form, "data-select-all").forEach(function (all) {
      all.checked = picks.length > 0 && checked === picks.length;
      all.indeterminate = checked > 0 && checked < picks.length;
    });
    var count = document.querySelector("[data-bulk-count]");
    if (count) {
      count.textContent = checked
        ? (count.getAttribute("data-template") || "%(count)s").replace("%(count)s", String(checked))
        : count.getAttribute("data-none") || "";
    }
    members(form, "data-needs-selection").forEach(function (button) {
      button.disabled = checked === 0;
    });
  }

  function setUp(root) {
    var forms = document.querySelectorAll("form[data-product-bulk]");
    for (var i = 0; i < forms.length; i++) updateSelection(forms[i]);
    checkImages(root);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    var form = target && target.form;
    if (!form || !form.hasAttribute("data-product-bulk")) return;
    if (target.hasAttribute("data-select-all")) {
      members(form, "data-pick").forEach(function (pick) {
        pick.checked = target.checked;
      });
    }
    updateSelection(form);
  });

  document.addEventListener("DOMContentLoaded", function () {
    setUp(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    setUp(event.target);
  });
})();
