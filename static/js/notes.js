// Note times are links to "#t=<seconds>": with JavaScript they seek the lesson's video
// (a <video> element, the uploaded file) instead of only changing the address.
(function () {
  "use strict";
  function seek(seconds) {
    var video = document.querySelector(".lesson video");
    if (!video || isNaN(seconds)) return false;
    video.currentTime = seconds;
    video.focus();
    video.play().catch(function () {});
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-seek]");
    if (link && seek(parseInt(link.getAttribute("data-seek"), 10))) event.preventDefault();
  });
  // Arriving from "My notes" with #t=<seconds> in the address.
  document.addEventListener("DOMContentLoaded", function () {
    var match = /^#t=(\d+)$/.exec(window.location.hash);
    if (match) seek(parseInt(match[1], 10));
  });
})();
