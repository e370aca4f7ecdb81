/* Login page: show the error from ?error=1|locked|origin and carry ?next=/path into the hidden field.
 * Only same-site paths are accepted for next (the server must validate it too). */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var errors = {
    "1": "Forkert brugernavn eller adgangskode.",
    "locked": "For mange forkerte forsøg. Vent et kvarter, og prøv igen – eller kontakt IT.",
    "origin": "Log ind fra denne side."
  };
  var error = errors[params.get("error") || ""];
  if (error) {
    // filled in after load so screen readers announce it as an alert
    document.getElementById("login-error").textContent = error;
    document.getElementById("username").setAttribute("aria-describedby", "login-error");
  }
  var next = params.get("next");
  if (next && /^\/(?![\/\\])/.test(next)) document.getElementById("login-next").value = next;
})();
