// A form sent back with errors: the focus goes to the summary that lists them (each a link
// to its field), so keyboard and screen-reader users start where the work is.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
});
