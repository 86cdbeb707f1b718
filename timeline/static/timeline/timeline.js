/* Customer order timeline: copy the tracking code, and web push opt-in.
   The page works without this script; it only adds the copy button and the notifications box. */
(function () {
  "use strict";

  // --- Copy the tracking code -------------------------------------------------------------
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!input) return;
    function say(text) { if (status) status.textContent = text; }
    function fallback() {
      input.focus();
      input.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      say(button.getAttribute(copied ? "data-copied-text" : "data-copy-failed-text"));
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(function () {
          say(button.getAttribute("data-copied-text"));
        }, fallback);
      } else {
        fallback();
      }
    });
  });

  // --- Web push opt-in --------------------------------------------------------------------
  var box = document.querySelector("[data-push]");
  if (!box) return;
  var key = box.getAttribute("data-vapid-key");
  if (!key || !window.isSecureContext || !("serviceWorker" in navigator) ||
      !("PushManager" in window) || !("Notification" in window)) {
    return; // the box stays hidden: this browser cannot receive web push
  }

  var subscribeButton = box.querySelector("[data-push-subscribe]");
  var unsubscribeButton = box.querySelector("[data-push-unsubscribe]");
  var status = box.querySelector("[data-push-status]");
  // A browser has one push subscription for all timeline pages; which orders it follows is
  // remembered here, and on the server.
  var flagKey = "timeline-push:" + box.getAttribute("data-order");
  var registration = null;

  function say(name) { status.textContent = name ? box.getAttribute("data-text-" + name) : ""; }
  function remember(on) {
    try { on ? localStorage.setItem(flagKey, "1") : localStorage.removeItem(flagKey); } catch (error) { /* private mode */ }
  }
  function remembered() {
    try { return localStorage.getItem(flagKey) === "1"; } catch (error) { return false; }
  }
  function followsOtherOrders() {
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var name = localStorage.key(i);
        if (name && name.indexOf("timeline-push:") === 0 && name !== flagKey) return true;
      }
    } catch (error) { return true; }
    return false;
  }
  function show(subscribed) {
    subscribeButton.hidden = subscribed;
    unsubscribeButton.hidden = !subscribed;
  }
  function busy(on) {
    subscribeButton.disabled = on;
    unsubscribeButton.disabled = on;
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "omit",
      cache: "no-store"
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    });
  }
  function applicationServerKey() {
    var base64 = (key + "===".slice((key.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(base64);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  navigator.serviceWorker.register(box.getAttribute("data-sw-url"), { scope: box.getAttribute("data-sw-scope") })
    .then(function (reg) {
      registration = reg;
      return reg.pushManager.getSubscription();
    })
    .then(function (subscription) {
      box.hidden = false;
      if (Notification.permission === "denied") {
        subscribeButton.disabled = true;
        say("blocked");
      }
      if (subscription && remembered()) {
        show(true);
        // Keep the server in step with the browser (keys can change); it is idempotent.
        post(box.getAttribute("data-subscribe-url"), subscription.toJSON()).catch(function () {});
      } else {
        remember(false);
        show(false);
      }
    })
    .catch(function () { box.hidden = true; });

  subscribeButton.addEventListener("click", function () {
    if (!registration) return;
    busy(true);
    say("");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          var error = new Error("permission " + permission);
          error.blocked = true;
          throw error;
        }
        return registration.pushManager.getSubscription();
      })
      .then(function (existing) {
        return existing || registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: applicationServerKey()
        });
      })
      .then(function (subscription) {
        return post(box.getAttribute("data-subscribe-url"), subscription.toJSON());
      })
      .then(function () {
        remember(true);
        show(true);
        say("on");
      })
      .catch(function (error) {
        say(error && error.blocked ? "blocked" : "error");
      })
      .then(function () { busy(false); });
  });

  unsubscribeButton.addEventListener("click", function () {
    if (!registration) return;
    busy(true);
    registration.pushManager.getSubscription()
      .then(function (subscription) {
        if (!subscription) return null;
        return post(box.getAttribute("data-unsubscribe-url"), { endpoint: subscription.endpoint })
          .then(function () {
            // Other orders followed from this browser keep the browser's subscription.
            if (!followsOtherOrders()) return subscription.unsubscribe();
            return null;
          });
      })
      .then(function () {
        remember(false);
        show(false);
        say("off");
      })
      .catch(function () { say("error"); })
      .then(function () { busy(false); });
  });
})();
