// The web chat: a thin client of POST /api/chat. No framework, works on old phones.
(() => {
  const RTL = new Set(["ar", "fa"]);
  const log = document.getElementById("log");
  const options = document.getElementById("options");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const picker = document.getElementById("language");
  const key = "familybot-user";
  let userId = localStorage.getItem(key);
  if (!userId) {
    userId = "web-" + Array.from(crypto.getRandomValues(new Uint8Array(12)), b => b.toString(16).padStart(2, "0")).join("");
    localStorage.setItem(key, userId);
  }

  async function setDirection(language) {
    document.documentElement.lang = language;
    document.documentElement.dir = RTL.has(language) ? "rtl" : "ltr";
    const labels = await (await fetch(`/api/ui/${encodeURIComponent(language)}`)).json();
    document.getElementById("message-label").textContent = labels.message;
    document.getElementById("send").textContent = labels.send;
    document.getElementById("language-label").textContent = labels.language;
  }

  function add(text, who) {
    const item = document.createElement("li");
    item.className = who;
    item.textContent = text;
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function show(reply) {
    setDirection(reply.language);
    if (picker.querySelector(`option[value="${reply.language}"]`)) picker.value = reply.language;
    add(reply.reply, "bot");
    options.replaceChildren(...reply.options.map((option, index) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = option.label;
      button.addEventListener("click", () => send(String(index + 1), option.label));
      return button;
    }));
  }

  async function post(path, body) {
    const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    if (!response.ok) throw new Error(response.status);
    return response.json();
  }

  async function send(text, shown) {
    add(shown || text, "me");
    try { show(await post("/api/chat", { text, user_id: userId, language: picker.value })); }
    catch (error) { add("⚠ 211 (2-1-1) · 911", "bot"); }
    checkInbox();
  }

  // A staff member's answer to "I want to talk to a person" arrives here.
  async function checkInbox() {
    try {
      const inbox = await post("/api/inbox", { text: "", user_id: userId });
      inbox.messages.forEach(message => add(message.text, "bot staff"));
    } catch (error) { /* next poll */ }
  }
  setInterval(checkInbox, 15000);

  form.addEventListener("submit", event => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", event => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  picker.addEventListener("change", async () => {
    setDirection(picker.value);
    show(await post("/api/start", { text: "", user_id: userId, language: picker.value }));
  });
  const start = (navigator.language || "fr").slice(0, 2);
  if (picker.querySelector(`option[value="${start}"]`)) picker.value = start;
  setDirection(picker.value);
  post("/api/start", { text: "", user_id: userId, language: picker.value }).then(show);
})();
