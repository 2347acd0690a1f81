// The admin export page: "Select all" ticks or clears every field of the chosen resource.
// django-import-export wires it with an inline onchange handler, which our CSP blocks.
"use strict";

document.addEventListener("change", (event) => {
  const toggle = event.target;
  if (!(toggle instanceof HTMLInputElement) || !toggle.matches(".select-toggle")) {
    return;
  }
  document
    .querySelectorAll('.selectable-field-export-row input[type="checkbox"]')
    .forEach((checkbox) => {
      checkbox.checked = toggle.checked;
    });
});
