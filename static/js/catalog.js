// Catalog pages: refuse a file above the upload limit before sending it (the server checks too).
(function () {
  "use strict";

  function checkSize(input) {
    var form = input.form;
    if (!form || !input.files || !input.files.length) return true;
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    var message = form.getAttribute("data-too-large") || "";
    var box = document.getElementById(input.getAttribute("aria-describedby") || "");
    var tooLarge = limit > 0 && input.files[0].size > limit;
    input.setCustomValidity(tooLarge ? message : "");
    if (box) {
      box.textContent = tooLarge ? message : "";
      box.hidden = !tooLarge;
    }
    return !tooLarge;
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("input[type=file][data-size-check]")) {
      checkSize(target);
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form || !form.querySelector) return;
    var input = form.querySelector("input[type=file][data-size-check]");
    if (input && !checkSize(input)) {
      event.preventDefault();
      input.reportValidity();
    }
  });
})();
