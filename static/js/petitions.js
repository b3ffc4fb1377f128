// Petitions: add a petitioner row to the registration formset (the CSP forbids inline script).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-add-petitioner]");
  if (!button) {
    return;
  }
  const form = button.closest("form");
  const total = form.querySelector("input[name='petitioners-TOTAL_FORMS']");
  const max = form.querySelector("input[name='petitioners-MAX_NUM_FORMS']");
  const index = parseInt(total.value, 10);
  if (max && index >= parseInt(max.value, 10)) {
    button.disabled = true;
    return;
  }
  const template = document.getElementById("petitioner-empty");
  const html = template.innerHTML.replace(/__prefix__/g, String(index));
  document.getElementById("petitioner-rows").insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const rows = document.querySelectorAll("#petitioner-rows .petitioner-row");
  const first = rows[rows.length - 1].querySelector("input");
  if (first) {
    first.focus();
  }
});
