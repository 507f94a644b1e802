/* formgrader's manual grading page (mda_checks/templates/formgrade): the page's only inline script, the
   same on every page (the Content-Security-Policy allows it by its hash). nbgrader's page wrote the
   submission's ids into a script and set onclick attributes; here they are read from the page's data. */
(function () {
  var page = JSON.parse(document.getElementById("mda-formgrade-page").textContent);
  window.submission_id = page.submission_id;
  window.notebook_id = page.notebook_id;
  window.assignment_id = page.assignment_id;
  window.base_url = page.base_url + "/formgrader";
})();

/* formgrade.js waits for MathJax's start-up to focus the current field; this page loads no MathJax (the course
   has no formula, and it would be one more script beside learners' text): it is told at once. */
window.MathJax = {Hub: {Startup: {signal: {Interest: function (listener) { listener("End"); }}}}};

function toggle_name(on) {
  $(".name-shown").tooltip('hide');
  $(".name-hidden").tooltip('hide');
  if (on) {
    $(".name-shown").show();
    $(".name-hidden").hide();
  } else {
    $(".name-hidden").show();
    $(".name-shown").hide();
  }
}

$(document).ready(function () {
  $("[data-link]").each(function () {
    $(this).map(linkTo("notebook", $(this).data("link"))).removeAttr("data-link");
  });
  $("span.glyphicon.name-hidden").tooltip({title: "Show student name", placement: "bottom", trigger: "hover"})
    .on("click", function () { toggle_name(true); });
  $("span.glyphicon.name-shown").tooltip({title: "Hide student name", placement: "bottom", trigger: "hover"})
    .on("click", function () { toggle_name(false); });
});
