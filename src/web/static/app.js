// Progressive enhancement only: every page works without this file.
// Focus the error summary when a page comes back with errors (GOV.UK pattern).
document.addEventListener('DOMContentLoaded', function () {
  var summary = document.querySelector('.error-summary');
  if (summary) summary.focus();
});
