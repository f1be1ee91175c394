/* Anytown Borough Council chat widget: one <script src=".../static/widget.js" defer> tag.
   Plain DOM, no build step; server text is only ever set as text (widget-text.js). */
(function () {
  "use strict";
  if (window.councilbotWidget) return;
  var script = document.currentScript;
  var BASE = new URL(script ? script.src : "/static/widget.js", location.href).origin;
  var STORE = "councilbot.chat";
  var HUMAN = { payload: "/request_human", text: "Talk to a person" };
  var STATES = { waiting_for_staff: "Waiting for a person", with_staff: "Talking to council staff",
    closed: "Chat ended" };
  var seen = new Set();
  var raw = new WeakMap();  // each message's own text, for the transcript
  var chat = load();
  var state = "bot";
  var ui = {};
  var streamAbort = null;
  var lastId = 0;
  var startingAfter = null;  // while Rasa loads: the id after which its answer will arrive
  var pinned = true;  // the log follows the newest message unless the resident scrolled up
  var announcements = [];

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE)) || null; } catch (e) { return null; }
  }
  function save() {
    if (chat) sessionStorage.setItem(STORE, JSON.stringify(chat));
    else sessionStorage.removeItem(STORE);
  }
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function button(label, cls, onClick) {
    var b = el("button", { type: "button", class: cls || "" }, label);
    b.addEventListener("click", onClick);
    return b;
  }

  function build() {
    document.head.appendChild(el("link", { rel: "stylesheet", href: BASE + "/static/widget.css" }));
    ui.launcher = button("Chat with us", "cb-launcher", function () { toggle(true); });
    ui.launcher.setAttribute("aria-controls", "cb-panel");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.panel = el("section", { id: "cb-panel", class: "cb-panel", role: "dialog",
      "aria-labelledby": "cb-title", "aria-describedby": "cb-intro" });
    ui.panel.hidden = true;
    var head = el("div", { class: "cb-head" });
    var titles = el("div", { class: "cb-titles" });
    titles.appendChild(el("h2", { id: "cb-title", class: "cb-title" }, "Anytown Council chat"));
    ui.state = el("p", { class: "cb-state" });
    titles.appendChild(ui.state);
    head.appendChild(titles);
    ui.menuButton = button("Menu", "cb-menu-button", function () { menu(ui.menu.hidden); });
    ui.menuButton.setAttribute("aria-expanded", "false");
    ui.menuButton.setAttribute("aria-controls", "cb-menu");
    head.appendChild(ui.menuButton);
    ui.close = button("Close chat", "cb-close", function () { toggle(false); });
    head.appendChild(ui.close);
    ui.menu = el("div", { id: "cb-menu", class: "cb-menu", role: "group", "aria-label": "Chat options" });
    ui.menu.hidden = true;
    ui.human = button(HUMAN.text, "", function () { menu(false); choose(HUMAN.text, HUMAN.payload); });
    ui.download = button("Download transcript", "", function () { menu(false); downloadTranscript(); });
    ui.end = button("End chat", "", function () { menu(false); endChat(); });
    [ui.human, ui.download, ui.end].forEach(function (b) { ui.menu.appendChild(b); });
    head.appendChild(ui.menu);
    ui.panel.appendChild(head);
    // The only part that scrolls. Not itself live: `ui.announce` reads out each new message once.
    ui.logBox = el("div", { class: "cb-log", role: "region", "aria-label": "Conversation",
      tabindex: "0" });
    ui.intro = el("p", { id: "cb-intro", class: "cb-intro" }, "You\u2019re chatting with an " +
      "automated assistant. Do not share card or bank details. ");
    ui.logBox.appendChild(ui.intro);
    ui.log = el("ol", { class: "cb-list" });
    ui.logBox.appendChild(ui.log);
    ui.typing = el("p", { class: "cb-typing", role: "status" });
    ui.logBox.appendChild(ui.typing);
    ui.panel.appendChild(ui.logBox);
    ui.error = el("p", { class: "cb-error", role: "alert" });
    ui.panel.appendChild(ui.error);
    ui.form = el("form", { class: "cb-form" });
    ui.form.appendChild(el("label", { for: "cb-input", class: "cb-label" }, "Your message"));
    var row = el("div", { class: "cb-row" });
    ui.input = el("textarea", { id: "cb-input", rows: "1", maxlength: "2000",
      autocomplete: "off", "aria-describedby": "cb-hint" });
    row.appendChild(ui.input);
    ui.send = el("button", { type: "submit", class: "cb-send" }, "Send");
    row.appendChild(ui.send);
    ui.form.appendChild(row);
    ui.form.appendChild(el("p", { id: "cb-hint", class: "cb-hint" },
      "Enter sends, Shift and Enter starts a new line. Do not share card or bank details."));
    ui.panel.appendChild(ui.form);
    ui.restart = button("Start a new chat", "cb-restart", restart);
    ui.restart.hidden = true;
    ui.panel.appendChild(ui.restart);
    ui.announce = el("div", { class: "cb-visually-hidden", "aria-live": "polite" });
    ui.panel.appendChild(ui.announce);
    // A labelled landmark, so the chat is easy to find and never floats outside all regions.
    ui.root = el("aside", { class: "cb-root", "aria-label": "Chat with the council" });
    ui.root.appendChild(ui.launcher);
    ui.root.appendChild(ui.panel);
    document.body.appendChild(ui.root);

    ui.panel.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      if (!ui.menu.hidden) { menu(false); ui.menuButton.focus(); } else toggle(false);
    });
    document.addEventListener("click", function (e) {
      if (!ui.menu.hidden && !ui.menu.contains(e.target) && e.target !== ui.menuButton) menu(false);
    });
    ui.menu.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !ui.menu.contains(e.relatedTarget) &&
          e.relatedTarget !== ui.menuButton) menu(false);
    });
    ui.form.addEventListener("submit", function (e) { e.preventDefault(); sendTyped(); });
    ui.input.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); sendTyped(); }
    });
    ui.input.addEventListener("input", grow);
    ui.logBox.addEventListener("scroll", function () {
      pinned = ui.logBox.scrollHeight - ui.logBox.scrollTop - ui.logBox.clientHeight < 24;
    });
    if (window.ResizeObserver) new ResizeObserver(follow).observe(ui.log);
    if (window.visualViewport) window.visualViewport.addEventListener("resize", fitViewport);
  }

  function toggle(open) {
    ui.panel.hidden = !open;
    ui.launcher.hidden = open;
    ui.launcher.setAttribute("aria-expanded", String(open));
    if (chat) { chat.open = open; save(); }
    if (open) { fitViewport(); welcome(); ui.input.focus(); follow(true); }
    else { menu(false); ui.launcher.focus(); }
  }

  function menu(open) {
    ui.menu.hidden = !open;
    ui.menuButton.setAttribute("aria-expanded", String(open));
    if (open) (ui.menu.querySelector("button:not(:disabled)") || ui.menuButton).focus();
  }

  function fitViewport() {
    // On a phone the chat fills the visible screen, above the on-screen keyboard.
    var full = window.matchMedia("(max-width: 40rem), (max-height: 30rem)").matches;
    var vv = window.visualViewport;
    ui.panel.style.height = full && vv ? vv.height + "px" : "";
    ui.panel.style.top = full && vv ? vv.offsetTop + "px" : "";
    follow();
  }

  function follow(force) {
    if (force === true) pinned = true;
    if (pinned) ui.logBox.scrollTop = ui.logBox.scrollHeight;
  }

  function grow() {
    ui.input.style.height = "";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 4, 128) + "px";
  }

  function api(path, options) {
    options = options || {};
    var headers = { "Content-Type": "application/json" };
    if (chat) headers.Authorization = "Bearer " + chat.token;
    return fetch(BASE + "/api/conversations" + path, {
      method: options.method || "GET", headers: headers,
      body: options.body ? JSON.stringify(options.body) : undefined
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { var err = new Error((body.error || {}).message || "Something went wrong.");
          err.status = r.status; throw err; }
        return body;
      });
    });
  }

  function welcome() {
    // The assistant's own greeting and suggestions; while it starts, a holding line, retried.
    if (ui.welcome && !ui.welcome.dataset.starting) return;
    api("/welcome").then(function (body) {
      var item = message({ sender: "bot", text: body.text, buttons: body.buttons || [] });
      item.classList.add("cb-welcome");
      if (body.assistant === "starting") {
        item.dataset.starting = "1";
        setTimeout(welcome, 3000);
      }
      if (ui.welcome) ui.log.replaceChild(item, ui.welcome);
      else { ui.log.insertBefore(item, ui.log.firstChild); announce(raw.get(item)); }
      ui.welcome = item;
      if (body.privacy && body.privacy.url && !ui.privacy) {
        ui.privacy = el("a", { href: body.privacy.url, target: "_blank", rel: "noopener noreferrer" },
          "How we use your information");
        ui.privacy.appendChild(el("span", { class: "cb-visually-hidden" }, " (opens in a new tab)"));
        ui.intro.appendChild(document.createTextNode(body.privacy.text + " "));
        ui.intro.appendChild(ui.privacy);
      }
      follow();
    }).catch(function () { setTimeout(welcome, 5000); });
  }

  function ensureChat() {
    if (chat) return Promise.resolve();
    return api("", { method: "POST" }).then(function (body) {
      chat = { id: body.conversation_id, token: body.token, open: true };
      save();
      stream();
    });
  }

  function sendTyped() {
    var text = ui.input.value.trim();
    if (!text) { showError(new Error("Type a message first.")); ui.input.focus(); return; }
    ui.input.value = ""; grow();
    send(text, null);
  }

  function choose(text, payload) { send(text, payload); ui.input.focus(); }

  function send(text, payload) {
    showError(null);
    var mine = render({ id: null, sender: "resident", text: text, buttons: [] });
    follow(true);
    if (state === "bot" && startingAfter === null) working("The assistant is typing\u2026");
    ensureChat().then(function () {
      var body = payload ? { payload: payload, text: text } : { text: text };
      return api("/" + chat.id + "/messages", { method: "POST", body: body });
    }).then(function (body) {
      var id = body.received && body.received.id;
      if (id && !mine.dataset.id) {
        // The stream may already have shown it; otherwise this element becomes that message.
        if (seen.has(id)) mine.remove();
        else { mine.dataset.id = id; mine.removeAttribute("data-pending"); seen.add(id); }
      }
      apply(body);
    }).catch(function (err) {
      mine.classList.add("cb-failed");
      mine.appendChild(el("span", { class: "cb-note" }, " (not sent)"));
      showError(err);
    }).then(function () { if (startingAfter === null) working(""); });
  }

  function working(text) { ui.typing.textContent = text; follow(); }

  function apply(body) {
    (body.messages || []).forEach(render);
    if (body.state) setState(body.state);
    if (body.assistant === "starting") {
      startingAfter = lastId;
      working("The assistant is starting, your message will be answered in a moment\u2026");
    }
  }

  function setState(next) {
    state = next;
    ui.human.disabled = next !== "bot";
    ui.human.textContent = next === "bot" ? HUMAN.text : STATES[next] || HUMAN.text;
    ui.state.textContent = STATES[next] || "";
    var closed = next === "closed";
    ui.form.hidden = closed; ui.end.hidden = closed; ui.restart.hidden = !closed;
  }

  function message(m) {
    var who = { resident: "You", bot: "Assistant", system: "Council",
      staff: (m.author || "Adviser") + " (council staff)" }[m.sender] || "Council";
    var item = el("li", { class: "cb-msg cb-" + m.sender });
    raw.set(item, who + ": " + (m.text || ""));
    item.appendChild(el("span", { class: "cb-who" }, who + ": "));
    item.appendChild(window.councilbotText.render(m.text || ""));
    if (m.buttons && m.buttons.length && m.sender !== "resident") {
      var group = el("div", { class: "cb-buttons", role: "group", "aria-label": "Quick replies" });
      m.buttons.forEach(function (b) {
        group.appendChild(button(b.title, "cb-quick", function () { choose(b.title, b.payload); }));
      });
      item.appendChild(group);
    }
    return item;
  }

  function render(m) {
    if (m.id && seen.has(m.id)) return null;
    if (m.id && m.sender === "resident") {
      var pending = ui.log.querySelector("li[data-pending='1']");
      if (pending && pending.dataset.text === m.text) {
        pending.dataset.id = m.id; pending.removeAttribute("data-pending"); seen.add(m.id);
        return pending;
      }
    }
    if (m.id) { seen.add(m.id); lastId = Math.max(lastId, Number(m.id)); }
    var item = message(m);
    if (m.id) item.dataset.id = m.id; else { item.dataset.pending = "1"; item.dataset.text = m.text; }
    if (m.form === "contact") item.appendChild(contactForm());
    if (m.sender === "bot" && m.id && isAnswer(m)) item.appendChild(feedback(item));
    ui.log.appendChild(item);
    if (m.sender !== "resident") {
      if (startingAfter !== null && Number(m.id) > startingAfter) { startingAfter = null; working(""); }
      announce(raw.get(item));
    }
    follow();
    return item;
  }

  function isAnswer(m) {
    // Questions ("Which bin?") and bare choices are not answers to rate.
    var text = (m.text || "").trim();
    return text.length > 0 && text.slice(-1) !== "?";
  }

  function announce(text) {
    // Queued, so several bubbles of one reply are read once, in order, not the whole log.
    announcements.push(text);
    if (announcements.length > 1) return;
    setTimeout(function () {
      ui.announce.textContent = announcements.join(" \n");
      announcements = [];
    }, 150);
  }

  function feedback(item) {
    // One control per reply: when a reply comes in several bubbles, only the last answer has it.
    var previous = ui.log.lastElementChild;
    while (previous && previous.classList.contains("cb-bot")) {
      var unused = previous.querySelector(".cb-unhelpful:not(:disabled)");
      if (unused) { unused.parentNode.remove(); break; }
      previous = previous.previousElementSibling;
    }
    var box = el("div", { class: "cb-feedback" });
    var control = el("button", { type: "button", class: "cb-unhelpful",
      "aria-label": "This answer was not helpful" }, "Not helpful");
    // Present (and empty) from the start, so screen readers announce the thanks when it appears.
    var status = el("p", { class: "cb-thanks", role: "status", tabindex: "-1" });
    control.addEventListener("click", function () {
      if (!chat || control.disabled) return;
      control.disabled = true;
      showError(null);
      api("/" + chat.id + "/feedback", { method: "POST", body: { message_id: item.dataset.id } })
        .then(function () {
          control.remove();
          status.textContent = "Thanks, we\u2019ll use this to improve.";
          status.focus();
        }).catch(function (err) { control.disabled = false; control.focus(); showError(err); });
    });
    box.appendChild(control);
    box.appendChild(status);
    return box;
  }

  function contactForm() {
    var form = el("form", { class: "cb-contact", "aria-label": "Your contact details" });
    [["name", "Your name", "name", "text"], ["phone", "Phone number", "tel", "tel"],
     ["email", "Email address", "email", "email"],
     ["best_time", "Best time to contact you (optional)", "off", "text"]].forEach(function (f) {
      var id = "cb-contact-" + f[0] + "-" + Math.random().toString(36).slice(2, 7);
      form.appendChild(el("label", { for: id }, f[1]));
      form.appendChild(el("input", { id: id, name: f[0], type: f[3], autocomplete: f[2] }));
    });
    form.appendChild(el("p", { class: "cb-hint" }, "Give a phone number or an email address."));
    form.appendChild(el("button", { type: "submit" }, "Send my details"));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = {};
      Array.prototype.forEach.call(form.elements, function (input) {
        if (input.name) body[input.name] = input.value.trim();
      });
      api("/" + chat.id + "/contact", { method: "POST", body: body }).then(function (reply) {
        form.remove(); apply(reply); ui.input.focus();
      }).catch(showError);
    });
    return form;
  }

  function stream() {
    // fetch-based SSE, so the token travels in a header and Last-Event-ID resumes exactly.
    if (!chat || streamAbort || !window.ReadableStream) return;
    var controller = new AbortController();
    streamAbort = controller;
    fetch(BASE + "/api/conversations/" + chat.id + "/stream", {
      headers: { Authorization: "Bearer " + chat.token, "Last-Event-ID": String(lastId) },
      signal: controller.signal
    }).then(function (r) {
      if (r.status === 404) { forget(); return; }
      var reader = r.body.getReader(), decoder = new TextDecoder(), buffer = "";
      function pump() {
        return reader.read().then(function (chunk) {
          if (chunk.done) throw new Error("stream ended");
          buffer += decoder.decode(chunk.value, { stream: true });
          var events = buffer.split("\n\n"); buffer = events.pop();
          events.forEach(function (text) {
            var data = text.split("\n").filter(function (l) { return l.indexOf("data:") === 0; });
            if (!data.length) return;
            var event = JSON.parse(data.map(function (l) { return l.slice(5); }).join("\n"));
            render(event.message); setState(event.state);
          });
          return pump();
        });
      }
      return pump();
    }).catch(function () {}).then(function () {
      if (streamAbort !== controller) return;
      streamAbort = null;
      if (chat) setTimeout(stream, 2000);
    });
  }

  function forget() { chat = null; save(); }

  function endChat() {
    if (!chat) { toggle(false); return; }
    api("/" + chat.id + "/end", { method: "POST" }).then(apply).then(function () {
      ui.restart.focus();
    }).catch(showError);
  }

  function restart() {
    if (streamAbort) { var c = streamAbort; streamAbort = null; c.abort(); }
    forget(); seen.clear(); lastId = 0; startingAfter = null; working("");
    Array.prototype.slice.call(ui.log.children).forEach(function (li) {
      if (li !== ui.welcome) li.remove();
    });
    setState("bot");
    ui.input.focus();
  }

  function downloadTranscript() {
    var lines = ["Anytown Borough Council chat transcript", new Date().toLocaleString("en-GB"), ""];
    Array.prototype.forEach.call(ui.log.children, function (li) { lines.push(raw.get(li) || ""); });
    var url = URL.createObjectURL(new Blob([lines.join("\n")], { type: "text/plain" }));
    var link = el("a", { href: url, download: "anytown-chat-transcript.txt" });
    document.body.appendChild(link); link.click(); link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function showError(err) {
    ui.error.textContent = err ? err.message : "";
    if (err && err.status === 404) forget();
  }

  function restore() {
    if (!chat) return;
    api("/" + chat.id + "/messages?after=0").then(function (body) {
      apply(body);
      stream();
      if (chat && chat.open) toggle(true);
    }).catch(function (err) { if (err.status === 404 || err.status === 401) forget(); });
  }

  function start() {
    build();
    restore();
    window.councilbotWidget = { open: function () { toggle(true); } };
  }

  if (window.councilbotText) start();
  else {
    var text = el("script", { src: BASE + "/static/widget-text.js" });
    text.addEventListener("load", start);
    document.head.appendChild(text);
  }
})();
