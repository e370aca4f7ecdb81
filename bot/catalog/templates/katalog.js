/* Filter the tasks as the user types. Progressive enhancement: the form is hidden in the HTML and
 * shown from here, so without script every task is simply listed. A task matches when every word
 * typed is in its text or its keywords (case and accents ignored). */
(function () {
  "use strict";
  var form = document.getElementById("sog");
  var field = document.getElementById("sog-felt");
  var count = document.getElementById("sog-antal");
  var none = document.getElementById("ingen-fund");
  if (!form || !field || !count || !("hidden" in form) || !String.prototype.normalize) { return; }

  function fold(text) { // "løntilskud" and "loentilskud", "café" and "cafe" find the same tasks
    return text.toLowerCase().replace(/æ/g, "ae").replace(/ø/g, "oe").replace(/å/g, "aa")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  var tasks = Array.prototype.map.call(document.querySelectorAll(".task"), function (el) {
    return { el: el, text: fold(el.textContent + " " + (el.getAttribute("data-keywords") || "")) };
  });
  var areas = Array.prototype.map.call(document.querySelectorAll(".area"), function (el) {
    var link = document.querySelector('.areas-nav a[href="#' + el.id + '"]');
    var item = link ? link.parentNode : null;
    return { el: el, item: item, n: item ? item.querySelector(".n") : null };
  });
  var total = tasks.length;
  var timer = null;

  function apply() {
    var words = fold(field.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    tasks.forEach(function (t) {
      var hit = words.every(function (w) { return t.text.indexOf(w) !== -1; });
      t.el.hidden = !hit;
      if (hit) { shown += 1; }
    });
    areas.forEach(function (a) {
      var visible = a.el.querySelectorAll(".task:not([hidden])").length;
      a.el.hidden = visible === 0;
      if (a.item) { a.item.hidden = visible === 0; }
      if (a.n) { a.n.textContent = "(" + visible + ")"; }
    });
    none.hidden = shown !== 0;
    if (!words.length) {
      count.textContent = "Viser alle " + total + " opgaver.";
    } else if (shown === 0) {
      count.textContent = "Ingen opgaver passer til søgningen.";
    } else {
      count.textContent = "Viser " + shown + " af " + total + " opgaver.";
    }
  }

  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(apply, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    apply();
  });
  var q = window.URLSearchParams ? new URLSearchParams(window.location.search).get("q") : null;
  if (q) { field.value = q; }
  form.hidden = false;
  apply();
}());
