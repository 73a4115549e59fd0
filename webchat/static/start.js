// Mounts the rasa-webchat widget (npm package, served from node_modules) in the page.
// SPINECARE_CONFIG comes from /config.js, written by the page server from its settings.
(function () {
  var config = window.SPINECARE_CONFIG;
  window.WebChat.default(
    {
      socketUrl: config.socketUrl,
      socketPath: "/socket.io/",
      title: "SpineCare assistant",
      subtitle: "General information, not medical advice",
      inputTextFieldHint: "Type a message...",
      embedded: true,
      showFullScreenButton: false,
      initPayload: "/greet",
      customMessageDelay: function () { return 400; },
      params: { storage: "session" },
      customData: { language: "en" }
    },
    document.getElementById("webchat")
  );
})();
