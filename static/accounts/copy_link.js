// « Copier le lien »: copies the link of the field the button names (data-copy = its id).
// Without JavaScript the field stays selectable by hand; the button is hidden until this runs.
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copy + "-status");
    field.select();
    navigator.clipboard.writeText(field.value).then(function () {
      status.textContent = button.dataset.done;
    }, function () {
      status.textContent = button.dataset.failed;
    });
  });
});
