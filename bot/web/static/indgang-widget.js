/* Indgang – chat widget for "Én indgang for virksomheder". No dependencies, no build step.
 *
 * Embed:  <script src="https://WEBAPP/static/indgang-widget.js" data-rasa-url="" data-title="Spørg erhvervsservice"
 *                 defer></script>
 * The one-entrance name and phone come from the catalogue: the web app writes them into
 * data-entrance / data-phone of its own page; elsewhere the widget asks WEBAPP/api/municipality.
 *
 * Structure (top to bottom):
 *   1. config     – data-* attributes of our own <script> tag; CSS loaded next to the script
 *   2. storage    – sender id, transcript (plain data, never HTML) and open state in localStorage
 *   3. helpers    – element builder, safe links (https only in text, tel:, mailto:), CPR redaction
 *   4. render     – transcript items → DOM, always through textContent; contact cards
 *   5. transport  – POST to the Rasa REST-style channel, 15 s timeout, one request at a time
 *   6. ui         – launcher + panel, open/close, send, quick-reply buttons, "Start forfra"
 *
 * Transcript items: {role:"user", text} | {role:"notice", text}
 *                 | {role:"bot", text, buttons:[{title,payload}], custom, used, error}
 */
(function () {
  "use strict";
  if (window.__indgangWidget) return;
  window.__indgangWidget = true;

  /* ---------- 1. config ---------- */
  var script = document.currentScript || document.querySelector('script[src*="indgang-widget.js"]');
  var attr = function (name, fallback) {
    var v = script && script.getAttribute(name);
    return v == null || v === "" ? fallback : v;
  };
  var cfg = {
    rasaUrl: attr("data-rasa-url", "").replace(/\/+$/, ""),
    phone: attr("data-phone", ""),        // the one-entrance phone (from the catalogue)
    entrance: attr("data-entrance", ""),  // its name, e.g. "Én indgang for virksomheder"
    title: attr("data-title", "Spørg erhvervsservice")
  };
  var T = {
    launcher: "Chat med os", close: "Luk chatten", label: "Skriv dit spørgsmål", send: "Send", restart: "Start forfra",
    greeting: "Hej! Skriv kort, hvad din virksomhed har brug for – fx «udeservering foran caféen» eller «gravetilladelse».",
    error: "Vi kan ikke få forbindelse til assistenten lige nu.",
    cpr: "Vi har fjernet et cpr-nummer fra din besked. Personnumre sendes ikke til assistenten.",
    privacy: "Skriv ikke cpr-nummer eller andre personlige oplysninger.",
    typing: "Assistenten skriver…", you: "Du skrev: ", bot: "Assistenten: ", choices: "Svarmuligheder",
    oneEntrance: "Ring til os"
  };
  function errorText() { // the way to a person, when the assistant cannot be reached
    return cfg.phone ? T.error + " Ring til " + (cfg.entrance || "os") + " på " + cfg.phone + "."
                     : T.error + " Ring til kommunen.";
  }
  (function loadContact() { // not on the page: ask the web app the script came from
    if (cfg.phone || !script || !window.fetch) return;
    var url;
    try { url = new URL("/api/municipality", script.src).href; } catch (e) { return; }
    fetch(url, { credentials: "omit" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (m) {
      var oe = m && m.one_entrance;
      if (oe && oe.phone) { cfg.phone = String(oe.phone); cfg.entrance = String(oe.name || ""); }
    }).catch(function () { /* keep the general wording */ });
  })();
  var KEYS = { sender: "indgang.sender", transcript: "indgang.transcript", open: "indgang.open" };
  var MAX_ITEMS = 100, TIMEOUT_MS = 15000;

  (function loadCss() { // resolved relative to the script's own src
    var css = document.createElement("link");
    css.rel = "stylesheet";
    try { css.href = new URL("indgang-widget.css", script ? script.src : location.href).href; } catch (e) { css.href = "indgang-widget.css"; }
    css.setAttribute("data-indgang-css", "");
    document.head.appendChild(css);
  })();

  /* ---------- 2. storage ---------- */
  var store = { // localStorage may throw (private mode, blocked storage)
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* ignore */ } },
    del: function (k) { try { window.localStorage.removeItem(k); } catch (e) { /* ignore */ } }
  };
  function newSenderId() {
    var c = window.crypto;
    if (c && typeof c.randomUUID === "function") return c.randomUUID();
    var bytes = new Uint8Array(16);
    if (c && c.getRandomValues) c.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  var sender = store.get(KEYS.sender);
  if (!sender) { sender = newSenderId(); store.set(KEYS.sender, sender); }

  function loadTranscript() {
    try {
      var data = JSON.parse(store.get(KEYS.transcript) || "[]");
      return Array.isArray(data) ? data.filter(function (i) { return i && typeof i === "object" && typeof i.role === "string"; }) : [];
    } catch (e) { return []; }
  }
  var transcript = loadTranscript();
  function saveTranscript() {
    if (transcript.length > MAX_ITEMS) transcript = transcript.slice(-MAX_ITEMS);
    store.set(KEYS.transcript, JSON.stringify(transcript));
  }

  /* ---------- 3. helpers ---------- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null && text !== "") e.textContent = String(text); // never innerHTML
    return e;
  }
  function str(v) { return typeof v === "string" || typeof v === "number" ? String(v).trim() : ""; }
  function telHref(phone) {
    var d = str(phone).replace(/[^\d+]/g, "");
    if (/^\d{8}$/.test(d)) d = "+45" + d;
    else if (/^0045\d{8}$/.test(d)) d = "+" + d.slice(2);
    return /^\+?\d{3,15}$/.test(d) ? "tel:" + d : null;
  }
  function mailHref(email) {
    var e = str(email);
    return /^[^\s@<>()"',;:]+@[^\s@<>()"',;:]+\.[^\s@<>()"',;:]+$/.test(e) ? "mailto:" + e : null;
  }
  function webHref(url, httpsOnly) {
    try {
      var u = new URL(str(url));
      if (u.protocol === "https:" || (!httpsOnly && u.protocol === "http:")) return u.href;
    } catch (e) { /* not a URL */ }
    return null;
  }
  /** <a> with visible text; `hidden` is extra text for screen readers (link purpose). */
  function link(href, text, hidden) {
    var a = el("a", "indgang-link", text);
    a.href = href;
    if (hidden) a.appendChild(el("span", "indgang-vh", hidden));
    return a;
  }
  /** Append text to `parent`, turning bare https:// URLs into links (and `phone` into a tel: link). */
  function appendText(parent, text, phone) {
    var re = /https:\/\/[^\s<>"'«»]+/g, last = 0, m;
    var pushPlain = function (s) {
      if (!s) return;
      var at = phone ? s.indexOf(phone) : -1, tel = phone && telHref(phone);
      if (at < 0 || !tel) { parent.appendChild(document.createTextNode(s)); return; }
      parent.appendChild(document.createTextNode(s.slice(0, at)));
      parent.appendChild(link(tel, phone));
      parent.appendChild(document.createTextNode(s.slice(at + phone.length)));
    };
    while ((m = re.exec(text))) {
      var url = m[0].replace(/[.,;:!?)\]]+$/, ""), href = webHref(url, true);
      pushPlain(text.slice(last, m.index));
      if (href) parent.appendChild(link(href, url));
      else parent.appendChild(document.createTextNode(url));
      last = m.index + url.length;
      re.lastIndex = last;
    }
    pushPlain(text.slice(last));
  }
  /**
   * CPR numbers never leave the browser, however they are written: the same rule as the server's
   * bot/privacy.py (NFKC, zero-width characters dropped; ddmmyy with the same separator – none,
   * space, dot, slash or dash – then spaces, a line break or a dash and the 4-digit serial; the
   * date must be real in the century the serial's first digit gives). A text with a CPR is sent
   * in its normalised form with the number replaced; any other text exactly as written.
   */
  var INVISIBLE = /[\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e]/g;
  var DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d";
  var CPR = new RegExp("(^|[^0-9])([0-3][0-9])([ ./" + DASHES + "]?)([01][0-9])\\3([0-9]{2})" +
    "[^\\S\\n]{0,3}\\n?[^\\S\\n]{0,3}[./" + DASHES + "]?[^\\S\\n]{0,3}\\n?[^\\S\\n]{0,3}([0-9]{4})(?![0-9])", "g");
  function cprDate(dd, mm, yy, first) {
    var century = first <= 3 ? 1900 : (first === 4 || first === 9) ? (yy <= 36 ? 2000 : 1900) : (yy <= 57 ? 2000 : 1800);
    if (mm < 1 || mm > 12 || dd < 1) return false;
    return dd <= new Date(Date.UTC(century + yy, mm, 0)).getUTCDate(); // day 0 of the next month
  }
  function redactCpr(text) {
    var norm = text.normalize("NFKC").replace(INVISIBLE, ""), found = false;
    var out = norm.replace(CPR, function (all, pre, dd, sep, mm, yy, serial) {
      if (!cprDate(+dd, +mm, +yy, +serial.charAt(0))) return all;
      found = true;
      return pre + "[cpr-nummer fjernet]";
    });
    return found ? out : text;
  }

  /* ---------- 4. render ---------- */
  /** Card labels in the answer's language (the server says which: custom.language). */
  var LABELS = {
    da: { fallbackTitle: "Den rette afdeling", phone: "Telefon", email: "E-mail", more: "Læs mere", about: " om ",
          apply: "Søg digitalt", contact: "Kontaktperson: ", tel: ", tlf. ", authority: "Anden myndighed", web: "Hjemmeside",
          fee: "Pris", time: "Behandlingstid" },
    en: { fallbackTitle: "The right department", phone: "Phone", email: "E-mail", more: "Read more", about: " about ",
          apply: "Apply online", contact: "Contact person: ", tel: ", phone ", authority: "Other authority", web: "Website",
          fee: "Price (in Danish)", time: "Processing time (in Danish)" }
  };
  function labels(c) { return LABELS[c && c.language === "en" ? "en" : "da"]; }
  function phoneLine(oe) {
    var p = el("p", "indgang-phone"), tel = telHref(oe.phone);
    p.appendChild(document.createTextNode((str(oe.name) || T.oneEntrance) + ": "));
    if (tel) p.appendChild(link(tel, str(oe.phone)));
    else p.appendChild(document.createTextNode(str(oe.phone)));
    var status = str(oe.status) || (oe.open_now === true ? "åben nu" : oe.open_now === false ? "lukket nu" : "");
    if (status) p.appendChild(document.createTextNode(" – " + status));
    return p;
  }
  function row(parent, label, node) {
    var p = parent.appendChild(el("p", "indgang-card-row"));
    p.appendChild(el("span", "indgang-card-label", label + ": "));
    p.appendChild(node);
  }
  function routeCard(c) {
    var r = c.route || {}, card = el("div", "indgang-card"), L = labels(c);
    card.setAttribute("data-task-id", str(r.task_id));
    var task = str(r.task);
    card.appendChild(el("h3", "indgang-card-title", task || L.fallbackTitle));
    if (str(r.department)) card.appendChild(el("p", "indgang-card-dept", r.department));
    var tel = telHref(r.phone), mail = mailHref(r.email);
    if (tel) row(card, L.phone, link(tel, str(r.phone)));
    if (mail) row(card, L.email, link(mail, str(r.email)));
    var links = el("p", "indgang-card-links"), more = webHref(r.url), self = webHref(r.self_service_url);
    if (more) links.appendChild(link(more, L.more, task ? L.about + task : ""));
    if (self) links.appendChild(link(self, L.apply, task ? ": " + task : ""));
    if (links.childNodes.length) card.appendChild(links);
    if (str(r.fee)) row(card, L.fee, document.createTextNode(str(r.fee)));
    if (str(r.processing_time)) row(card, L.time, document.createTextNode(str(r.processing_time)));
    var ct = r.contact;
    if (ct && typeof ct === "object" && str(ct.name)) {
      var p = el("p", "indgang-card-contact");
      p.appendChild(el("span", "indgang-card-label", L.contact));
      p.appendChild(document.createTextNode(str(ct.name) + (str(ct.title) ? ", " + str(ct.title) : "")));
      var ctel = telHref(ct.phone);
      if (ctel) { p.appendChild(document.createTextNode(L.tel)); p.appendChild(link(ctel, str(ct.phone))); }
      card.appendChild(p);
    }
    if (c.one_entrance && typeof c.one_entrance === "object") card.appendChild(phoneLine(c.one_entrance));
    return card;
  }
  function externalCard(c) {
    var a = c.authority || {}, card = el("div", "indgang-card indgang-external"), L = labels(c);
    if (str(a.id)) card.setAttribute("data-authority-id", str(a.id));
    card.appendChild(el("h3", "indgang-card-title", str(a.name) || L.authority));
    var tel = telHref(a.phone), url = webHref(a.url);
    if (tel) row(card, L.phone, link(tel, str(a.phone)));
    if (url) row(card, L.web, link(url, url.replace(/^https?:\/\//, "").replace(/\/$/, "")));
    return card;
  }
  function renderCustom(c, into) {
    if (!c || typeof c !== "object") return;
    if (c.kind === "route" && c.route) into.appendChild(routeCard(c));
    else if (c.kind === "external" && c.authority) into.appendChild(externalCard(c));
    else if (c.one_entrance && typeof c.one_entrance === "object") into.appendChild(phoneLine(c.one_entrance));
    if (c.help && typeof c.help === "object" && str(c.help.phone)) {
      var h = phoneLine(c.help);
      h.className = "indgang-help-line";
      into.appendChild(h);
    }
  }
  function renderItem(item) {
    var wrap = el("div", "indgang-item");
    if (item.role === "notice") {
      wrap.appendChild(el("p", "indgang-notice", item.text));
      return wrap;
    }
    var isUser = item.role === "user";
    wrap.appendChild(el("span", "indgang-vh", isUser ? T.you : T.bot));
    var msg = el("div", "indgang-msg " + (isUser ? "indgang-user" : "indgang-bot") + (item.error ? " indgang-error" : ""));
    var lang = item.custom && /^(da|en|de)$/.test(str(item.custom.language)) ? item.custom.language : "";
    if (!isUser && lang && lang !== "da") msg.setAttribute("lang", lang); // WCAG 3.1.2: language of parts
    if (str(item.text)) {
      var p = el("p", "indgang-text");
      appendText(p, String(item.text), item.error ? cfg.phone : "");
      msg.appendChild(p);
    }
    var c = item.custom, bigCard = c && (c.kind === "route" || c.kind === "external");
    if (!isUser && bigCard) renderCustom(c, msg); // card above the buttons; a bare phone line below them
    if (!isUser && Array.isArray(item.buttons) && item.buttons.length) {
      var group = el("div", "indgang-buttons");
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", T.choices);
      item.buttons.forEach(function (b) {
        var btn = el("button", "indgang-choice", b.title);
        btn.type = "button";
        btn.disabled = !!item.used;
        btn.addEventListener("click", function () { choose(item, b, group); });
        group.appendChild(btn);
      });
      msg.appendChild(group);
    }
    if (!isUser && c && !bigCard) renderCustom(c, msg);
    wrap.appendChild(msg);
    return wrap;
  }

  /* ---------- 5. transport ---------- */
  var queue = Promise.resolve(), pending = 0, generation = 0;
  function post(message) {
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS) : null;
    return fetch(cfg.rasaUrl + "/webhooks/chat/webhook", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ sender: sender, message: message }),
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (res) {
      if (!res.ok) throw new Error("HTTP " + res.status);
      return res.json();
    }).then(function (data) {
      return Array.isArray(data) ? data : [];
    }).finally(function () { if (timer) clearTimeout(timer); });
  }
  /** Rasa sends text and custom payload as separate messages: attach a card to the text before it. */
  function receive(messages) {
    var batch = [];
    messages.forEach(function (m) {
      if (!m || typeof m !== "object") return;
      var custom = m.custom && typeof m.custom === "object" && !Array.isArray(m.custom) ? m.custom : null;
      var buttons = Array.isArray(m.buttons) ? m.buttons.filter(function (b) { return b && (str(b.title) || str(b.payload)); })
        .map(function (b) { return { title: str(b.title) || str(b.payload), payload: str(b.payload) || str(b.title) }; }) : [];
      var text = str(m.text), prev = batch[batch.length - 1];
      if (custom && !text && !buttons.length && prev && !prev.custom) { prev.custom = custom; return; }
      if (!text && custom && str(custom.text)) text = str(custom.text);
      if (text || buttons.length || custom) batch.push({ role: "bot", text: text, buttons: buttons, custom: custom, used: false });
    });
    batch.forEach(addItem);
  }
  function send(message, shownText) {
    if (shownText) addItem({ role: "user", text: shownText });
    var gen = generation, visible = !!shownText;
    if (visible) { pending++; setTyping(true); }
    queue = queue.then(function () { return post(message); }).then(function (msgs) {
      if (gen === generation && visible) receive(msgs);
    }, function () {
      if (gen === generation && visible) addItem({ role: "bot", text: errorText(), error: true });
    }).then(function () {
      if (visible && gen === generation && --pending <= 0) setTyping(false);
    });
    return queue;
  }

  /* ---------- 6. ui ---------- */
  var root = el("div", "indgang-root");
  root.id = "indgang-root";
  root.innerHTML = [ /* static markup only – no data is ever put into innerHTML */
    '<div id="indgang-panel" class="indgang-panel" role="dialog" hidden>',
    '  <div class="indgang-header"><h2 class="indgang-title" id="indgang-title"></h2>',
    '    <button type="button" class="indgang-close"><span aria-hidden="true">×</span></button></div>',
    '  <div id="indgang-log" class="indgang-log" role="log" aria-live="polite" aria-relevant="additions" tabindex="0"></div>',
    '  <form class="indgang-form" novalidate>',
    '    <label for="indgang-input" class="indgang-label"></label>',
    '    <p class="indgang-privacy" id="indgang-privacy"></p>',
    '    <div class="indgang-row"><input id="indgang-input" class="indgang-input" type="text" maxlength="2000"',
    '        autocomplete="off" aria-describedby="indgang-privacy">',
    '      <button id="indgang-send" class="indgang-send" type="submit"></button></div>',
    '  </form>',
    '  <div class="indgang-footer"><button id="indgang-restart" class="indgang-restart" type="button"></button></div>',
    '</div>',
    '<button id="indgang-launcher" class="indgang-launcher" type="button" aria-expanded="false" aria-controls="indgang-panel">' +
    '<svg class="indgang-icon" aria-hidden="true" focusable="false" viewBox="0 0 24 24" width="20" height="20">' +
    '<path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z"/></svg>' +
    '<span class="indgang-launcher-text"></span></button>'
  ].join("\n");
  var $ = function (sel) { return root.querySelector(sel); };
  var panel = $("#indgang-panel"), log = $("#indgang-log"), input = $("#indgang-input"), form = $(".indgang-form");
  var launcher = $("#indgang-launcher"), closeBtn = $(".indgang-close");
  panel.setAttribute("aria-label", cfg.title);
  $("#indgang-title").textContent = cfg.title;
  $(".indgang-label").textContent = T.label;
  $("#indgang-privacy").textContent = T.privacy;
  $("#indgang-send").textContent = T.send;
  $("#indgang-restart").textContent = T.restart;
  $(".indgang-launcher-text").textContent = T.launcher;
  closeBtn.setAttribute("aria-label", T.close);
  log.setAttribute("aria-label", "Samtale");

  var typing = el("div", "indgang-typing");
  typing.setAttribute("role", "img");
  typing.setAttribute("aria-label", T.typing);
  for (var i = 0; i < 3; i++) typing.appendChild(el("span", "indgang-dot")).setAttribute("aria-hidden", "true");

  function scrollDown() { log.scrollTop = log.scrollHeight; }
  function setTyping(on) {
    if (on && !typing.parentNode) log.appendChild(typing);
    if (!on && typing.parentNode) typing.parentNode.removeChild(typing);
    scrollDown();
  }
  function addItem(item) {
    transcript.push(item);
    saveTranscript();
    log.insertBefore(renderItem(item), typing.parentNode === log ? typing : null);
    scrollDown();
  }
  function greetIfEmpty() {
    if (!transcript.length) addItem({ role: "bot", text: T.greeting, buttons: [], custom: null, local: true });
  }
  function isOpen() { return !panel.hidden; }
  function setOpen(on) {
    panel.hidden = !on;
    root.classList.toggle("indgang-is-open", on);
    launcher.setAttribute("aria-expanded", String(on));
    store.set(KEYS.open, on ? "1" : "0");
  }
  function open(focus) {
    setOpen(true);
    greetIfEmpty();
    scrollDown();
    if (focus) input.focus();
  }
  function close() {
    setOpen(false);
    launcher.focus();
  }
  function choose(item, button, group) {
    if (item.used) return;
    item.used = true;
    saveTranscript();
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
    input.focus(); // the clicked button is now disabled; keep keyboard focus somewhere useful
    send(button.payload, button.title);
  }
  function submit() {
    var raw = input.value.slice(0, 2000);
    if (!raw.trim()) { input.value = ""; return; }
    var clean = redactCpr(raw.trim());
    input.value = "";
    send(clean, clean);
    if (clean !== raw.trim()) addItem({ role: "notice", text: T.cpr });
  }
  function restart() {
    generation++;
    pending = 0;
    setTyping(false);
    transcript = [];
    store.del(KEYS.transcript);
    sender = newSenderId();
    store.set(KEYS.sender, sender);
    while (log.firstChild) log.removeChild(log.firstChild);
    send("/restart", null); // silent: neither the command nor its reply is shown
    greetIfEmpty();
    input.focus();
  }

  launcher.addEventListener("click", function () { if (isOpen()) close(); else open(true); });
  closeBtn.addEventListener("click", close);
  form.addEventListener("submit", function (e) { e.preventDefault(); submit(); });
  $("#indgang-restart").addEventListener("click", restart);
  root.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && isOpen()) { e.preventDefault(); close(); }
  });

  function mount() {
    document.body.appendChild(root);
    transcript.forEach(function (item) { log.appendChild(renderItem(item)); });
    if (store.get(KEYS.open) === "1") open(false); // restore without stealing focus from the page
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
