// marsad monitor page: a form that removes something asks first (its question is in the page,
// data-confirm, in the reader's language). Without scripts the forms post at once.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
