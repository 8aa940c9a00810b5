/* Small behaviours declared in the HTML, so that no page needs an inline event handler (the
   Content-Security-Policy refuses them; see zhengtu/core/security.py):
     <select data-autosubmit>          submits its form when changed
     <form data-confirm="Sure?">       asks before submitting; also on a button or link
     <button data-print>               prints the page                                        */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof Element && target.matches("[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    if (event.target.closest("[data-print]")) window.print();
    var asking = event.target.closest("button[data-confirm], a[data-confirm], input[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) event.preventDefault();
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm") &&
        !window.confirm(form.getAttribute("data-confirm"))) {
      event.preventDefault();
    }
  });
})();
