/* The one-question rating the widget shows when a chat ends: five choices and an optional
   comment, posted to /api/conversations/{id}/rating. Loaded by widget.js. */
(function () {
  "use strict";
  var CHOICES = ["Very poor", "Poor", "OK", "Good", "Very good"];

  function ratingForm(el, onSubmit) {
    var suffix = Math.random().toString(36).slice(2, 7);
    var form = el("form", { class: "cb-contact cb-rating", "aria-label": "Rate this chat" });
    var set = el("fieldset", {});
    set.appendChild(el("legend", { class: "cb-label" }, "How was this chat?"));
    CHOICES.forEach(function (label, i) {
      var id = "cb-rating-" + (i + 1) + "-" + suffix;
      var row = el("div", { class: "cb-choice" });
      row.appendChild(el("input", { id: id, type: "radio", name: "score", value: String(i + 1) }));
      row.appendChild(el("label", { for: id }, (i + 1) + " – " + label));
      set.appendChild(row);
    });
    form.appendChild(set);
    var commentId = "cb-rating-comment-" + suffix;
    form.appendChild(el("label", { for: commentId }, "Anything to add? (optional)"));
    form.appendChild(el("p", { class: "cb-hint", id: commentId + "-hint" },
      "Please don't include personal details."));
    form.appendChild(el("textarea", { id: commentId, name: "comment", rows: "2", maxlength: "1000",
      "aria-describedby": commentId + "-hint" }));
    form.appendChild(el("button", { type: "submit" }, "Send rating"));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var chosen = form.querySelector("input[name=score]:checked");
      onSubmit(chosen ? Number(chosen.value) : null, form.elements.comment.value.trim(), form);
    });
    return form;
  }

  window.councilbotRating = { ratingForm: ratingForm };
})();
