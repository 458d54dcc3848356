// Attendance sheet (pointage): the « présents / réservés » count follows the ticks, and choosing
// an excuse reason ticks « absent ». Progressive enhancement: the server counts without it.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-sheet]");
  const present = document.querySelector("[data-present]");
  if (!form || !present) {
    return;
  }
  const locked = Number(present.dataset.locked || 0); // billed presences, not editable
  const update = () => {
    const ticked = form.querySelectorAll("input[type=radio][value=present]:checked").length;
    present.textContent = String(locked + ticked);
  };
  form.addEventListener("change", (event) => {
    const target = event.target;
    if (target.matches("select[name^='reason-']") && target.value) {
      const absent = form.querySelector(
        "input[name='state-" + target.name.slice(7) + "'][value=absent]"
      );
      if (absent) {
        absent.checked = true;
      }
    }
    update();
  });
});
