/* Anytown chat widget: the panel's DOM and its small parts (messages, the call-back form, the
   "Not helpful" control, the transcript file). No state and no network here. Loaded by widget.js. */
(function () {
  "use strict";
  var lines = new WeakMap();  // each message's own text, for the transcript

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

  function build(base, on) {
    var ui = {};
    document.head.appendChild(el("link", { rel: "stylesheet", href: base + "/static/widget.css" }));
    ui.launcher = button("Chat with us", "cb-launcher", on.open);
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
    ui.menuButton = button("Menu", "cb-menu-button", function () { setMenu(ui.menu.hidden); });
    ui.menuButton.setAttribute("aria-expanded", "false");
    ui.menuButton.setAttribute("aria-controls", "cb-menu");
    head.appendChild(ui.menuButton);
    ui.close = button("Close chat", "cb-close", on.close);
    head.appendChild(ui.close);
    ui.menu = el("div", { id: "cb-menu", class: "cb-menu", role: "group", "aria-label": "Chat options" });
    ui.menu.hidden = true;
    ui.human = button("Talk to a person", "", on.human);
    ui.download = button("Download transcript", "", on.download);
    ui.end = button("End chat", "", on.end);
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
      "Enter sends, Shift and Enter starts a new line."));
    ui.panel.appendChild(ui.form);
    ui.restart = button("Start a new chat", "cb-restart", on.restart);
    ui.restart.hidden = true;
    ui.panel.appendChild(ui.restart);
    ui.announce = el("div", { class: "cb-visually-hidden", "aria-live": "polite" });
    ui.panel.appendChild(ui.announce);
    // A labelled landmark, so the chat is easy to find and never floats outside all regions.
    ui.root = el("aside", { class: "cb-root", "aria-label": "Chat with the council" });
    ui.root.appendChild(ui.launcher);
    ui.root.appendChild(ui.panel);
    document.body.appendChild(ui.root);
    // The menu is a disclosure: Escape, a click outside or moving focus away closes it.
    function setMenu(open) {
      ui.menu.hidden = !open;
      ui.menuButton.setAttribute("aria-expanded", String(open));
      if (open) (ui.menu.querySelector("button:not(:disabled)") || ui.menuButton).focus();
    }
    ui.setMenu = setMenu;
    ui.panel.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || ui.menu.hidden) return;
      e.stopPropagation();  // this Escape closes the menu only, not the chat
      setMenu(false); ui.menuButton.focus();
    }, true);
    document.addEventListener("click", function (e) {
      if (!ui.menu.hidden && !ui.menu.contains(e.target) && e.target !== ui.menuButton) setMenu(false);
    });
    ui.menu.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !ui.menu.contains(e.relatedTarget) &&
          e.relatedTarget !== ui.menuButton) setMenu(false);
    });
    return ui;
  }

  function privacy(intro, notice) {
    var link = el("a", { href: notice.url, target: "_blank", rel: "noopener noreferrer" },
      "How we use your information");
    link.appendChild(el("span", { class: "cb-visually-hidden" }, " (opens in a new tab)"));
    intro.appendChild(document.createTextNode(notice.text + " "));
    intro.appendChild(link);
    return link;
  }

  function message(m, onChoose) {
    var who = { resident: "You", bot: "Assistant", system: "Council",
      staff: (m.author || "Adviser") + " (council staff)" }[m.sender] || "Council";
    var item = el("li", { class: "cb-msg cb-" + m.sender });
    lines.set(item, who + ": " + (m.text || ""));
    item.appendChild(el("span", { class: "cb-who" }, who + ": "));
    item.appendChild(window.councilbotText.render(m.text || ""));
    if (m.buttons && m.buttons.length && m.sender !== "resident") {
      var group = el("div", { class: "cb-buttons", role: "group", "aria-label": "Quick replies" });
      m.buttons.forEach(function (b) {
        group.appendChild(button(b.title, "cb-quick", function () { onChoose(b.title, b.payload); }));
      });
      item.appendChild(group);
    }
    return item;
  }

  function feedbackControl(onPress) {
    var box = el("div", { class: "cb-feedback" });
    var control = el("button", { type: "button", class: "cb-unhelpful",
      "aria-label": "This answer was not helpful" }, "Not helpful");
    // Present (and empty) from the start, so screen readers announce the thanks when it appears.
    var status = el("p", { class: "cb-thanks", role: "status", tabindex: "-1" });
    control.addEventListener("click", function () {
      if (!control.disabled) onPress(control, status);
    });
    box.appendChild(control);
    box.appendChild(status);
    return box;
  }

  function contactForm(onSubmit) {
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
      onSubmit(body, form);
    });
    return form;
  }

  function saveTranscript(log) {
    var text = ["Anytown Borough Council chat transcript", new Date().toLocaleString("en-GB"), ""];
    Array.prototype.forEach.call(log.children, function (li) { text.push(lines.get(li) || ""); });
    var url = URL.createObjectURL(new Blob([text.join("\n")], { type: "text/plain" }));
    var link = el("a", { href: url, download: "anytown-chat-transcript.txt" });
    document.body.appendChild(link); link.click(); link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  window.councilbotPanel = { el: el, button: button, build: build, message: message,
    line: function (item) { return lines.get(item); }, feedbackControl: feedbackControl,
    contactForm: contactForm, saveTranscript: saveTranscript, privacy: privacy };
})();
