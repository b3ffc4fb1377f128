// Printable papers: the Print button (no inline handlers: the CSP allows only this origin's files).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-paper-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
