/* Staff lookup page (hotline / switchboard): search the internal catalogue while a caller waits.
 *
 * Structure:
 *   1. helpers  – element builder, safe links (tel:, mailto:, http(s) only), JSON fetch (401 → login)
 *   2. render   – channels bar, authority notice, result list, detail panel (all via textContent)
 *   3. search   – as-you-type lookup: 120 ms debounce, the previous request is aborted
 *   4. keyboard – ↓/↑/Home/End move between results (focus + highlight), Enter opens,
 *                 Escape goes back to the search box; typing in the list continues the search
 *
 * Endpoints: GET /api/staff/lookup?q=…   GET /api/staff/tasks/<task_id>
 */
(function () {
  "use strict";
  var q = document.getElementById("staff-q");
  var resultsEl = document.getElementById("staff-results");
  var detailEl = document.getElementById("staff-detail");
  var statusEl = document.getElementById("staff-status");
  var tookEl = document.getElementById("staff-took");
  var channelsEl = document.getElementById("staff-channels");
  var authorityEl = document.getElementById("staff-authority");
  var DEBOUNCE_MS = 120;

  /* ---------- 1. helpers ---------- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null && text !== "") e.textContent = String(text);
    return e;
  }
  function str(v) { return typeof v === "string" || typeof v === "number" ? String(v).trim() : ""; }
  function telHref(phone) {
    var d = str(phone).replace(/[^\d+]/g, "");
    if (/^\d{8}$/.test(d)) d = "+45" + d;
    else if (/^0045\d{8}$/.test(d)) d = "+" + d.slice(2);
    return /^\+?\d{3,15}$/.test(d) ? "tel:" + d : null;
  }
  function webHref(url) {
    try {
      var u = new URL(str(url), location.href);
      return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
    } catch (e) { return null; }
  }
  function link(href, text, cls) { var a = el("a", cls || "", text); a.href = href; return a; }
  /** A tel:/mailto:/web link, or plain text if the value is not safe to link. */
  function phoneNode(phone) { var h = telHref(phone); return h ? link(h, str(phone)) : document.createTextNode(str(phone)); }
  function mailNode(email) {
    var e = str(email);
    return /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(e) ? link("mailto:" + e, e) : document.createTextNode(e);
  }
  function webNode(url, text) { var h = webHref(url); return h ? link(h, text || h) : document.createTextNode(str(url)); }
  function append(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null && c !== "") parent.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function badge() { return el("span", "badge", "Intern"); }
  function getJson(url, signal) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", signal: signal })
      .then(function (res) {
        if (res.status === 401) {
          location.assign("/staff/login?next=" + encodeURIComponent(location.pathname + location.search));
          throw new Error("unauthorised");
        }
        if (!res.ok) throw new Error("HTTP " + res.status);
        return res.json();
      });
  }

  /* ---------- 2. render ---------- */
  function renderChannels(channels) {
    if (!Array.isArray(channels)) return;
    clear(channelsEl);
    channels.forEach(function (c) {
      var open = c.open_now === true;
      var li = el("li", "channel " + (open ? "is-open" : "is-closed"));
      if (str(c.id)) li.setAttribute("data-channel-id", str(c.id));
      append(li, el("span", "channel-name", c.name), " ", phoneNode(c.phone), " ",
        el("span", "channel-status", str(c.status) || (open ? "åben nu" : "lukket nu")));
      channelsEl.appendChild(li);
    });
  }
  function renderAuthority(a) {
    clear(authorityEl);
    authorityEl.hidden = !a;
    if (!a) return;
    authorityEl.appendChild(el("p", "authority-title", "Hører under " + (str(a.name) || "en anden myndighed")));
    if (str(a.description)) authorityEl.appendChild(el("p", "", a.description));
    var p = el("p");
    if (str(a.phone)) append(p, "Telefon: ", phoneNode(a.phone));
    if (str(a.url)) append(p, p.childNodes.length ? " · " : "", webNode(a.url, str(a.url).replace(/^https?:\/\//, "")));
    if (p.childNodes.length) authorityEl.appendChild(p);
  }
  function contactLine(c) {
    var li = el("li", "contact");
    append(li, el("span", "contact-name", c.name), str(c.title) ? ", " + str(c.title) : "");
    if (str(c.phone)) append(li, " – ", phoneNode(c.phone));
    if (str(c.email)) append(li, " · ", mailNode(c.email));
    return li;
  }
  function kleText(kle) { return Array.isArray(kle) && kle.length ? "KLE " + kle.map(str).join(", ") : ""; }
  function renderResults(results) {
    clear(resultsEl);
    (results || []).forEach(function (r, i) {
      var li = el("li", "result");
      li.setAttribute("data-task-id", str(r.task_id));
      var h = el("h3", "result-title");
      var btn = el("button", "result-open", r.task);
      btn.type = "button";
      btn.id = "staff-result-" + i;
      btn.setAttribute("data-task-id", str(r.task_id));
      h.appendChild(btn);
      if (r.external === false) append(h, " ", badge());
      li.appendChild(h);
      var dept = el("p", "result-dept");  // a Route card: the department's name, phone and e-mail
      append(dept, el("strong", "", r.department));
      if (str(r.phone)) append(dept, " · ", phoneNode(r.phone));
      if (str(r.email)) append(dept, " · ", mailNode(r.email));
      li.appendChild(dept);
      if (Array.isArray(r.contacts) && r.contacts.length) {
        var ul = el("ul", "contacts");
        r.contacts.forEach(function (c) { ul.appendChild(contactLine(c)); });
        li.appendChild(ul);
      }
      var meta = el("p", "result-meta");
      append(meta, el("span", "kle", kleText(r.kle)));
      if (webHref(r.self_service_url)) append(meta, meta.textContent ? " · " : "", webNode(r.self_service_url, "Selvbetjening"));
      if (meta.childNodes.length) li.appendChild(meta);
      resultsEl.appendChild(li);
    });
  }
  function dlRow(dl, term, node) {
    if (!node || (node.nodeType === 3 && !node.textContent)) return;
    dl.appendChild(el("dt", "", term));
    var dd = el("dd");
    dd.appendChild(node);
    dl.appendChild(dd);
  }
  function renderDetail(t) {
    clear(detailEl);
    var head = el("div", "detail-head"), h = el("h2", "", t.task);
    h.id = "staff-detail-title";
    if (t.external === false) append(h, " ", badge());
    var closeBtn = el("button", "btn-secondary", "Luk");
    closeBtn.type = "button";
    closeBtn.addEventListener("click", function () { detailEl.hidden = true; q.focus(); });
    append(head, h, closeBtn);
    detailEl.appendChild(head);
    if (str(t.description)) detailEl.appendChild(el("p", "detail-desc", t.description));
    var dl = el("dl", "detail-list");
    var dept = append(el("div"), el("strong", "", t.department));
    if (str(t.phone)) append(dept, el("br"), "Telefon: ", phoneNode(t.phone));
    if (str(t.email)) append(dept, el("br"), "E-mail: ", mailNode(t.email));
    if (str(t.address)) append(dept, el("br"), "Adresse: " + str(t.address));
    if (str(t.url)) append(dept, el("br"), webNode(t.url, "Afdelingens side"));
    dlRow(dl, "Afdeling", dept);
    if (Array.isArray(t.contacts) && t.contacts.length) {
      var ul = el("ul", "contacts");
      t.contacts.forEach(function (c) {
        var li = contactLine(c);
        if (c.external === false) append(li, " ", el("span", "badge badge-light", "ikke offentlig"));
        ul.appendChild(li);
      });
      dlRow(dl, "Kontakter", ul);
    }
    if (webHref(t.self_service_url)) dlRow(dl, "Selvbetjening", webNode(t.self_service_url, t.self_service_url));
    if (str(t.fee)) dlRow(dl, "Pris", document.createTextNode(str(t.fee)));
    if (str(t.processing_time)) dlRow(dl, "Behandlingstid", document.createTextNode(str(t.processing_time)));
    if (Array.isArray(t.documents) && t.documents.length)
      dlRow(dl, "Send med", document.createTextNode(t.documents.map(str).join("; ")));
    if (webHref(t.legal_basis_url)) dlRow(dl, "Lovgrundlag", webNode(t.legal_basis_url, t.legal_basis_url));
    if (str(t.facts_note)) dlRow(dl, "Bemærk", document.createTextNode(str(t.facts_note)));
    dlRow(dl, "KLE", document.createTextNode((t.kle || []).map(str).join(", ")));
    dlRow(dl, "Søgeord", document.createTextNode((t.keywords || []).map(str).join(", ")));
    detailEl.appendChild(dl);
  }

  /* ---------- 3. search ---------- */
  var timer = null, searchCtrl = null, detailCtrl = null, lastQuery = null;
  function runSearch(text, silent) {
    if (searchCtrl) searchCtrl.abort();
    searchCtrl = window.AbortController ? new AbortController() : null;
    var ctrl = searchCtrl;
    return getJson("/api/staff/lookup?q=" + encodeURIComponent(text), ctrl ? ctrl.signal : undefined).then(function (data) {
      if (ctrl !== searchCtrl) return; // a newer request has started
      renderChannels(data.channels);
      if (silent) return;
      var results = Array.isArray(data.results) ? data.results : [];
      renderResults(results);
      renderAuthority(data.authority || null);
      statusEl.textContent = results.length === 1 ? "1 resultat" : results.length ? results.length + " resultater"
        : data.authority ? "Ingen opgaver i kommunen – se anden myndighed" : "Ingen resultater – henvis til Én indgang";
      var took = typeof data.took_ms === "number" ? data.took_ms.toLocaleString("da-DK", { maximumFractionDigits: 1 }) + " ms" : "";
      var intent = data.intent && str(data.intent.name) ? "emne: " + str(data.intent.name) : "";
      tookEl.textContent = [intent, took].filter(Boolean).join(" · ");
    }).catch(function (err) {
      if (silent || (err && err.name === "AbortError") || ctrl !== searchCtrl) return;
      statusEl.textContent = "Søgningen kunne ikke gennemføres. Prøv igen.";
    });
  }
  function onInput() {
    clearTimeout(timer);
    var text = q.value.trim();
    if (text === lastQuery) return;
    lastQuery = text;
    try { history.replaceState(null, "", text ? "?q=" + encodeURIComponent(text) : location.pathname); } catch (e) { /* ignore */ }
    if (!text) {
      if (searchCtrl) searchCtrl.abort();
      searchCtrl = null;
      clear(resultsEl); renderAuthority(null);
      statusEl.textContent = ""; tookEl.textContent = "";
      return;
    }
    timer = setTimeout(function () { runSearch(text); }, DEBOUNCE_MS);
  }
  function openTask(taskId) {
    if (!taskId) return;
    if (detailCtrl) detailCtrl.abort();
    detailCtrl = window.AbortController ? new AbortController() : null;
    var ctrl = detailCtrl;
    clear(detailEl);
    detailEl.appendChild(el("p", "loading", "Henter opgaven …"));
    detailEl.hidden = false;
    detailEl.focus();
    getJson("/api/staff/tasks/" + encodeURIComponent(taskId), ctrl ? ctrl.signal : undefined).then(function (task) {
      if (ctrl !== detailCtrl) return;
      renderDetail(task);
      detailEl.focus();
      if (detailEl.scrollIntoView) detailEl.scrollIntoView({ block: "nearest" });
    }).catch(function (err) {
      if ((err && err.name === "AbortError") || ctrl !== detailCtrl) return;
      clear(detailEl);
      detailEl.appendChild(el("p", "error", "Opgaven kunne ikke hentes. Prøv igen."));
    });
  }

  /* ---------- 4. keyboard ---------- */
  function buttons() { return Array.prototype.slice.call(resultsEl.querySelectorAll(".result-open")); }
  function setActive(btn) {
    buttons().forEach(function (b) {
      var on = b === btn;
      b.closest(".result").classList.toggle("is-active", on);
      if (on) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
    });
  }
  function moveTo(index) {
    var list = buttons();
    if (!list.length) return;
    var b = list[Math.max(0, Math.min(index, list.length - 1))];
    setActive(b);
    b.focus();
  }
  function activeIndex() { return buttons().findIndex(function (b) { return b.closest(".result").classList.contains("is-active"); }); }

  q.addEventListener("input", onInput);
  document.getElementById("staff-form").addEventListener("submit", function (e) { e.preventDefault(); });
  q.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); moveTo(Math.max(activeIndex(), 0)); }
    else if (e.key === "Enter") {
      e.preventDefault();
      var list = buttons();
      if (list.length) openTask(list[Math.max(activeIndex(), 0)].getAttribute("data-task-id"));
    } else if (e.key === "Escape" && q.value) { e.preventDefault(); q.value = ""; onInput(); }
  });
  resultsEl.addEventListener("click", function (e) {
    var b = e.target.closest(".result-open");
    if (b) { setActive(b); openTask(b.getAttribute("data-task-id")); }
  });
  resultsEl.addEventListener("focusin", function (e) {
    var r = e.target.closest(".result");
    if (r) setActive(r.querySelector(".result-open"));
  });
  resultsEl.addEventListener("keydown", function (e) {
    var i = activeIndex(), n = buttons().length;
    if (e.key === "ArrowDown") { e.preventDefault(); moveTo(i + 1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); if (i <= 0) q.focus(); else moveTo(i - 1); }
    else if (e.key === "Home") { e.preventDefault(); moveTo(0); }
    else if (e.key === "End") { e.preventDefault(); moveTo(n - 1); }
    else if (e.key === "Escape") { e.preventDefault(); q.focus(); }
    else if (e.key.length === 1 && e.key !== " " && !e.ctrlKey && !e.metaKey && !e.altKey) q.focus(); // keep typing
  });
  detailEl.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { e.preventDefault(); q.focus(); }
  });

  // Praise that businesses asked us to pass on (GET /api/staff/inbox), read when the section opens.
  var inboxEl = document.getElementById("staff-inbox");
  function renderInbox(messages) {
    var list = document.getElementById("staff-inbox-list");
    clear(list);
    document.getElementById("staff-inbox-count").textContent = "(" + messages.length + ")";
    if (!messages.length) { list.appendChild(el("li", "empty", "Ingen ros eller kommentarer de seneste 90 dage.")); return; }
    messages.forEach(function (m) {
      var li = el("li", "inbox-item");
      var when = new Date(m.received_at);
      append(li, el("p", "inbox-meta", (m.kind === "comment" ? "Kommentar til et svar · " : "Ros · ") +
        (m.department_name || "Ingen afdeling – giv den videre") + " · " +
        when.toLocaleString("da-DK", { dateStyle: "medium", timeStyle: "short" })),
        el("blockquote", "inbox-text", str(m.text)));
      list.appendChild(li);
    });
  }
  inboxEl.addEventListener("toggle", function () {
    if (!inboxEl.open) return;
    getJson("/api/staff/inbox").then(function (data) { renderInbox(data.messages || []); })
      .catch(function () { renderInbox([]); document.getElementById("staff-inbox-count").textContent = "(kunne ikke hentes)"; });
  });

  // What changed in the catalogue (GET /api/staff/catalog-history), read when the section opens.
  var historyEl = document.getElementById("staff-history");
  function renderHistory(versions) {
    var list = document.getElementById("staff-history-list");
    clear(list);
    if (!versions.length) { list.appendChild(el("li", "empty", "Kataloget er ikke importeret endnu.")); return; }
    document.getElementById("staff-history-latest").textContent = "(version " + str(versions[0].version) + ")";
    versions.forEach(function (v) {
      var li = el("li", "inbox-item");
      var when = new Date(v.imported_at);
      append(li, el("p", "inbox-meta", "Version " + str(v.version) + " (#" + str(v.id) + ") · importeret " +
        when.toLocaleString("da-DK", { dateStyle: "medium", timeStyle: "short" }) +
        (str(v.comment) ? " · " + str(v.comment) : "")), el("p", "history-summary", str(v.summary)));
      if (Array.isArray(v.changes) && v.changes.length) {
        var ul = el("ul", "history-changes");
        v.changes.forEach(function (c) { ul.appendChild(el("li", "", str(c))); });
        li.appendChild(ul);
      }
      list.appendChild(li);
    });
  }
  historyEl.addEventListener("toggle", function () {
    if (!historyEl.open) return;
    getJson("/api/staff/catalog-history").then(function (data) { renderHistory(data.versions || []); })
      .catch(function () { renderHistory([]); document.getElementById("staff-history-latest").textContent = "(kunne ikke hentes)"; });
  });

  // Call-back requests (GET /api/staff/callbacks; POST …/<id>/handled from this page only).
  var callbacksList = document.getElementById("staff-callbacks-list");
  function renderCallbacks(requests) {
    clear(callbacksList);
    var open = requests.filter(function (r) { return !r.handled_at; });
    document.getElementById("staff-callbacks-count").textContent = "(" + open.length + " åbne)";
    if (!requests.length) { callbacksList.appendChild(el("li", "empty", "Ingen anmodninger om opkald.")); return; }
    requests.forEach(function (r) {
      var li = el("li", "inbox-item" + (r.handled_at ? " is-handled" : ""));
      var when = new Date(r.received_at).toLocaleString("da-DK", { dateStyle: "medium", timeStyle: "short" });
      append(li,
        el("p", "inbox-meta", (r.department_name || "Én indgang") + (r.topic ? " · " + str(r.topic) : "") + " · " + when),
        append(el("p", "callback-who"), str(r.company) + (r.cvr ? " (CVR " + str(r.cvr) + ")" : "") + " – " +
               str(r.contact) + ", ", phoneNode(r.phone), r.preferred_time ? " – helst " + str(r.preferred_time) : ""));
      if (r.handled_at) {
        li.appendChild(el("p", "inbox-meta", "Håndteret af " + str(r.handled_by)));
      } else {
        var b = el("button", "callback-done", "Markér som håndteret");
        b.type = "button";
        b.setAttribute("data-id", String(r.id));
        li.appendChild(b);
      }
      callbacksList.appendChild(li);
    });
  }
  function loadCallbacks() {
    getJson("/api/staff/callbacks").then(function (data) { renderCallbacks(data.requests || []); })
      .catch(function () { document.getElementById("staff-callbacks-count").textContent = "(kunne ikke hentes)"; });
  }
  callbacksList.addEventListener("click", function (e) {
    var b = e.target.closest(".callback-done");
    if (!b) return;
    b.disabled = true;
    fetch("/api/staff/callbacks/" + encodeURIComponent(b.getAttribute("data-id")) + "/handled",
          { method: "POST", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function () { loadCallbacks(); }, function () { b.disabled = false; });
  });
  loadCallbacks();

  // Start: fill the channels bar, and run a search passed in the address (?q=…).
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { q.value = initial; onInput(); } else runSearch("", true);
})();
