// Tax certificate: choosing another year reloads the page so ineligible children show disabled.
document.addEventListener("DOMContentLoaded", () => {
  const year = document.querySelector("#tax-form select[name=year]");
  if (year) {
    year.addEventListener("change", () => {
      window.location.search = "?year=" + encodeURIComponent(year.value);
    });
  }
});
