// Seller application page: add and remove brand rows of the formset (no inline scripts: CSP).
(function () {
  "use strict";

  function totalFormsInput(prefix) {
    return document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  }

  function addBrandRow(button) {
    var template = document.getElementById("brand-empty-row");
    var rows = document.getElementById("brand-rows");
    var total = totalFormsInput("brands");
    if (!template || !rows || !total) return;
    var index = parseInt(total.value, 10) || 0;
    var maxInput = document.getElementById("id_brands-MAX_NUM_FORMS");
    if (maxInput && index >= parseInt(maxInput.value, 10)) {
      button.disabled = true;
      return;
    }
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    // New inputs validate themselves as the user types, like the ones already on the page.
    if (window.htmx) window.htmx.process(row);
    var first = row.querySelector("input[type=text]");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-brand-add]");
    if (button) {
      event.preventDefault();
      addBrandRow(button);
    }
  });

  // A brand marked for removal is dimmed until the form is saved; unticking brings it back.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box || !box.matches || !box.matches("[data-brand-remove]")) return;
    var row = box.closest("[data-brand-row]");
    if (row) row.classList.toggle("brand-row-removed", box.checked);
  });
})();
