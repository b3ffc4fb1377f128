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

// The referral fields matter only for a petition referred or assigned from above.
function lhtToggleReferral() {
  const channel = document.getElementById("id_channel");
  if (!channel) {
    return;
  }
  const referred = channel.value === "referred";
  ["id_referred_by", "id_skip_level"].forEach(function (id) {
    const field = document.getElementById(id);
    const block = field && field.closest(".mb-3");
    if (block) {
      block.hidden = !referred && !block.querySelector(".invalid-feedback");
    }
  });
}
document.addEventListener("change", function (event) {
  if (event.target.id === "id_channel") {
    lhtToggleReferral();
  }
});
document.addEventListener("DOMContentLoaded", lhtToggleReferral);
