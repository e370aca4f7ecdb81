/* Login page: show the error from ?error=1 and carry ?next=/path into the hidden field.
 * Only same-site paths are accepted for next (the server must validate it too). */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  if (params.get("error") === "1") {
    // filled in after load so screen readers announce it as an alert
    document.getElementById("login-error").textContent = "Forkert brugernavn eller adgangskode.";
    document.getElementById("username").setAttribute("aria-describedby", "login-error");
  }
  var next = params.get("next");
  if (next && /^\/(?![\/\\])/.test(next)) document.getElementById("login-next").value = next;
})();
