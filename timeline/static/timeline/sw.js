/* Service worker of the customer's order timeline pages: shows the store's push messages.
   A push carries JSON {"title", "body", "url", "tag", "icon"} (all optional) or plain text. */
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function sameOrigin(url) {
  try { return new URL(url, self.location.origin).origin === self.location.origin; } catch (error) { return false; }
}

self.addEventListener("push", function (event) {
  var data = {};
  if (event.data) {
    try { data = event.data.json(); } catch (error) { data = { body: event.data.text() }; }
  }
  if (!data || typeof data !== "object") data = { body: String(data) };
  // Only our own pages are opened from a notification.
  var url = data.url && sameOrigin(data.url) ? new URL(data.url, self.location.origin).href : "";
  var options = { body: data.body || "", data: { url: url } };
  if (data.tag) options.tag = String(data.tag);
  if (data.icon) options.icon = String(data.icon);
  event.waitUntil(self.registration.showNotification(data.title || "", options));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = event.notification.data && event.notification.data.url;
  if (!url) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === url && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(url);
    })
  );
});
