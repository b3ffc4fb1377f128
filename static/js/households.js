// The visit form in three screens on a phone: households, then what it was about, then photos.
// Without JavaScript all three show at once and the form still works.
(function () {
  "use strict";

  function setupSteps(form) {
    var steps = Array.prototype.slice.call(form.querySelectorAll("[data-step]"));
    if (!steps.length) { return; }
    var current = 0;
    // After a refused submit, open the first screen with an error.
    steps.forEach(function (step, index) {
      if (current === 0 && step.querySelector(".invalid-feedback.d-block, .is-invalid")) { current = index; }
    });

    function show(index) {
      current = index;
      steps.forEach(function (step, i) { step.classList.toggle("d-none", i !== index); });
      window.scrollTo(0, 0);
    }

    function householdChosen() {
      return form.querySelector("input[name=households]:checked") !== null;
    }

    form.addEventListener("click", function (event) {
      if (event.target.closest("[data-next]")) {
        var error = steps[current].querySelector("[data-step-error]");
        if (current === 0 && !householdChosen()) {
          if (error) { error.classList.add("d-block"); }
          return;
        }
        if (error) { error.classList.remove("d-block"); }
        show(Math.min(current + 1, steps.length - 1));
      } else if (event.target.closest("[data-back]")) {
        show(Math.max(current - 1, 0));
      }
    });

    // A household ticked in the search results moves to the chosen list, so a new search keeps it.
    form.addEventListener("change", function (event) {
      var box = event.target;
      if (box.name === "households" && box.checked && box.closest("#household-results")) {
        var choice = box.closest(".household-choice");
        var chosen = document.getElementById("household-choices");
        var existing = chosen.querySelector("input[value='" + box.value + "']");
        if (existing) { existing.checked = true; choice.remove(); } else { chosen.prepend(choice); }
      }
      if (box.type === "file") {
        var limit = parseInt(box.dataset.max || "5", 10);
        var note = form.querySelector("[data-photo-count]");
        if (note) { note.textContent = box.files.length + " / " + limit; }
        box.setCustomValidity(box.files.length > limit ? note.textContent : "");
      }
    });

    // The search box submits nothing on Enter: it only searches.
    form.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target.type === "search") { event.preventDefault(); }
    });

    // Kept on the phone (static/js/offline.js): the emptied form starts again at its first screen.
    form.addEventListener("lht:reset", function () {
      var note = form.querySelector("[data-photo-count]");
      if (note) { note.textContent = ""; }
      show(0);
    });

    show(current);
  }

  // 常用语: a tap adds the phrase to the notes.
  document.addEventListener("click", function (event) {
    var phrase = event.target.closest("[data-phrase]");
    if (!phrase) { return; }
    var notes = document.getElementById(phrase.closest("[data-phrases-for]").dataset.phrasesFor);
    var text = notes.value.trim();
    notes.value = text + (text && !/[。！？.!?]$/.test(text) ? "。" : "") + phrase.dataset.phrase;
    notes.focus();
  });

  document.querySelectorAll("form[data-steps]").forEach(setupSteps);
})();
