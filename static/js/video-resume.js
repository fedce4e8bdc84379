/* Video position resume (learning/video.py).
 *
 * Every element with data-video-resume is a player whose position is saved every few
 * seconds while it plays, when it pauses or ends, and when the page is left (sendBeacon).
 * The start time is already in the player's URL (media fragment, YouTube `start`, Vimeo
 * `#t=`), so without this script the video still plays from the saved second.
 *
 * The POST body carries the CSRF token: sendBeacon cannot set headers. YouTube and Vimeo
 * are spoken to with their postMessage protocols (what their own API scripts do), so no
 * third-party script is loaded; messages are accepted only from the player's own window
 * and origin.
 */
(function () {
  "use strict";

  var SAVE_EVERY_MS = 10000;
  var YOUTUBE = "https://www.youtube-nocookie.com";
  var VIMEO = "https://player.vimeo.com";

  function Tracker(el) {
    this.el = el;
    this.url = el.getAttribute("data-position-url");
    this.csrf = el.getAttribute("data-csrf");
    this.position = null;
    this.duration = null;
    this.saved = null;
    this.lastSaveAt = 0;
  }

  Tracker.prototype.update = function (position, duration, playing) {
    if (!isFinite(position) || !isFinite(duration) || duration <= 0) return;
    this.position = position;
    this.duration = duration;
    if (playing && Date.now() - this.lastSaveAt >= SAVE_EVERY_MS) this.save(false);
  };

  Tracker.prototype.save = function (leaving) {
    if (this.position === null || this.position === this.saved) return;
    var body = new URLSearchParams();
    body.append("csrfmiddlewaretoken", this.csrf);
    body.append("position", this.position.toFixed(2));
    body.append("duration", this.duration.toFixed(2));
    this.saved = this.position;
    this.lastSaveAt = Date.now();
    if (leaving && navigator.sendBeacon) {
      navigator.sendBeacon(this.url, body);
    } else {
      fetch(this.url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        keepalive: true,
      }).catch(function () {});
    }
  };

  function trackVideo(video, tracker) {
    var start = parseFloat(video.getAttribute("data-start")) || 0;
    video.addEventListener("loadedmetadata", function () {
      // Browsers without media fragments: seek to the saved second ourselves.
      if (start > 0 && start < video.duration && video.currentTime < start - 1) {
        video.currentTime = start;
      }
    });
    video.addEventListener("timeupdate", function () {
      tracker.update(video.currentTime, video.duration, !video.paused);
    });
    ["pause", "ended", "seeked"].forEach(function (name) {
      video.addEventListener(name, function () {
        tracker.update(video.currentTime, video.duration, false);
        tracker.save(false);
      });
    });
  }

  function parse(data) {
    if (typeof data !== "string") return data;
    try {
      return JSON.parse(data);
    } catch (e) {
      return null;
    }
  }

  function trackYouTube(frame, tracker) {
    var playing = false;
    function listen() {
      // The IFrame API's handshake: the player then sends "infoDelivery" messages.
      frame.contentWindow.postMessage(
        JSON.stringify({ event: "listening", id: frame.id || "player", channel: "widget" }),
        YOUTUBE
      );
    }
    frame.addEventListener("load", listen);
    window.addEventListener("message", function (event) {
      if (event.origin !== YOUTUBE || event.source !== frame.contentWindow) return;
      var data = parse(event.data);
      if (!data || !data.info) return;
      var info = data.info;
      if (typeof info.playerState === "number") {
        playing = info.playerState === 1;
        if (info.playerState === 0 || info.playerState === 2) tracker.save(false);
      }
      if (typeof info.currentTime === "number") {
        tracker.update(info.currentTime, info.duration || tracker.duration, playing);
      } else if (typeof info.duration === "number") {
        tracker.duration = info.duration;
      }
    });
  }

  function trackVimeo(frame, tracker) {
    function post(method, value) {
      frame.contentWindow.postMessage(JSON.stringify({ method: method, value: value }), VIMEO);
    }
    window.addEventListener("message", function (event) {
      if (event.origin !== VIMEO || event.source !== frame.contentWindow) return;
      var data = parse(event.data);
      if (!data) return;
      if (data.event === "ready") {
        post("addEventListener", "timeupdate");
        post("addEventListener", "pause");
        post("addEventListener", "ended");
      } else if (data.event === "timeupdate" && data.data) {
        tracker.update(data.data.seconds, data.data.duration, true);
      } else if (data.event === "pause" || data.event === "ended") {
        if (data.data) tracker.update(data.data.seconds, data.data.duration, false);
        tracker.save(false);
      }
    });
  }

  function init() {
    var trackers = [];
    document.querySelectorAll("[data-video-resume]").forEach(function (el) {
      var tracker = new Tracker(el);
      trackers.push(tracker);
      if (el.tagName === "VIDEO") {
        trackVideo(el, tracker);
      } else if (el.src.indexOf(YOUTUBE + "/") === 0) {
        trackYouTube(el, tracker);
      } else if (el.src.indexOf(VIMEO + "/") === 0) {
        trackVimeo(el, tracker);
      }
    });
    function leave() {
      trackers.forEach(function (tracker) {
        tracker.save(true);
      });
    }
    window.addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") leave();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
