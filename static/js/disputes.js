// Disputes: pick a resident from the search results into a party row; print the mediation agreement.
(function () {
  "use strict";

  function byId(id) { return document.getElementById(id); }

  function setResident(prefix, id, name, label) {
    const hidden = byId("id_" + prefix + "-resident");
    if (hidden) { hidden.value = id; }
    const nameInput = byId("id_" + prefix + "-name");
    if (nameInput && name !== null) { nameInput.value = name; }
    const chosen = byId(prefix + "-chosen");
    const chosenLabel = byId(prefix + "-chosen-label");
    if (chosenLabel) { chosenLabel.textContent = label; }
    if (chosen) { chosen.classList.toggle("d-none", !id); }
    const results = byId(prefix + "-results");
    if (results) { results.replaceChildren(); }
    const search = byId(prefix + "-search");
    if (search) { search.value = ""; }
  }

  document.addEventListener("click", function (event) {
    const pick = event.target.closest("[data-pick-resident]");
    if (pick) {
      event.preventDefault();
      setResident(pick.dataset.prefix, pick.dataset.id, pick.dataset.name, pick.dataset.label);
      return;
    }
    const clear = event.target.closest("[data-clear-resident]");
    if (clear) {
      event.preventDefault();
      setResident(clear.dataset.prefix, "", null, "");
      return;
    }
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
    }
  });
})();
