// app.js: the provbot demo chat page.
//
// The page plays the Teams client: it posts Bot Framework activities to the
// bot's real endpoint (POST /api/messages) and reads the bot's replies back
// from the demo's local Bot Connector with a long poll
// (GET /demo/conversations/{id}/activities?after=N). The demo cast and the
// bot's identity come from GET /demo/cast.

import { renderCard } from "./cards.js";

const CARD_TYPE = "application/vnd.microsoft.card.adaptive";
const INVOKE_MESSAGE_TYPE = "application/vnd.microsoft.activity.message";
const INVOKE_ERROR_TYPE = "application/vnd.microsoft.error";
const ROLE_LABELS = { "end-user": "End user", "help-desk": "Help desk" };
const TYPING_TIMEOUT_MS = 20000;
const WELCOME_WAIT_MS = 4000;

const ui = {
  persona: byId("persona"),
  roles: byId("cast-roles"),
  cast: byId("cast-list"),
  who: byId("chat-who"),
  chat: document.querySelector("[data-testid=chat]"),
  status: byId("status"),
  scroll: byId("messages-scroll"),
  messages: byId("messages"),
  typing: byId("typing"),
  form: byId("composer"),
  ask: byId("ask"),
  send: byId("send"),
  runCycle: byId("run-cycle"),
  quarantine: byId("quarantine"),
  tenantStatus: byId("tenant-status"),
  channel: byId("channel-messages"),
};

/** The page's state: the demo settings, who the visitor is, the open conversation. */
const state = { demo: null, person: null, conv: null, typingTimer: 0 };

main();

/** Wires the controls, loads the demo cast and opens the first conversation. */
async function main() {
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = ui.ask.value.trim();
    if (!text || !state.conv) return;
    ui.ask.value = "";
    sendText(state.conv, text);
  });
  ui.persona.addEventListener("change", () => {
    const person = findPerson(ui.persona.value);
    if (person) choosePerson(person);
  });
  state.demo = await loadDemo();
  ui.roles.textContent = state.demo.roles || "";
  renderCast(state.demo.cast);
  ui.persona.disabled = false;
  ui.ask.disabled = false;
  ui.send.disabled = false;
  ui.runCycle.disabled = false;
  ui.runCycle.addEventListener("click", runCycle);
  ui.quarantine.disabled = false;
  ui.quarantine.addEventListener("click", quarantine);
  if (state.demo.channel) pollChannel(state.demo.channel.id);
  if (state.demo.cast.length > 0) choosePerson(state.demo.cast[0]);
}

/** Asks the demo tenant to run ServiceNow's next provisioning cycle now. */
async function runCycle() {
  ui.runCycle.disabled = true;
  ui.tenantStatus.textContent = "Running ServiceNow's next cycle…";
  try {
    const res = await fetch("/demo/run-cycle", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ app: "ServiceNow" }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).trim()}`);
    const out = await res.json();
    const n = Number(out.provisioned) || 0;
    ui.tenantStatus.textContent = `ServiceNow's cycle ran: ${n === 1 ? "1 account" : `${n} accounts`} created. Whoever asked to be notified is told.`;
  } catch (err) {
    ui.tenantStatus.textContent = `The cycle did not run (${err.message}).`;
  } finally {
    ui.runCycle.disabled = false;
  }
}

/** Puts the demo tenant's Atlassian Cloud job into quarantine. */
async function quarantine() {
  ui.quarantine.disabled = true;
  ui.tenantStatus.textContent = "Quarantining Atlassian Cloud…";
  try {
    const res = await fetch("/demo/quarantine", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ app: "Atlassian Cloud" }),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}: ${(await res.text()).trim()}`);
    ui.tenantStatus.textContent = "Atlassian Cloud's provisioning is now quarantined. The help desk channel below gets an alert.";
  } catch (err) {
    ui.tenantStatus.textContent = `Nothing changed (${err.message}).`;
    ui.quarantine.disabled = false;
  }
}

/**
 * Long-polls the help desk channel's activities (the alerts the bot posts
 * there) and shows them, oldest first, for as long as the page is open.
 */
async function pollChannel(id) {
  let after = 0;
  let delay = 500;
  for (;;) {
    try {
      const res = await fetch(`/demo/conversations/${encodeURIComponent(id)}/activities?after=${after}`, { cache: "no-store" });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const page = await res.json();
      for (const item of Array.isArray(page.items) ? page.items : []) {
        if (!item || typeof item.seq !== "number" || item.seq <= after) continue;
        after = item.seq;
        const act = item.activity;
        if (act && act.type === "message") showChannelMessage(act);
      }
      if (Number.isInteger(page.next) && page.next > after) after = page.next;
      delay = 500;
    } catch (err) {
      console.warn("provbot demo: channel poll failed:", err);
      await sleep(delay);
      delay = Math.min(delay * 2, 10000);
    }
  }
}

/** Shows one message the bot posted in the help desk channel. */
function showChannelMessage(act) {
  const li = el("li", "msg msg-bot");
  li.dataset.testid = "channel-message";
  const avatar = el("span", "avatar avatar-bot", "pb");
  avatar.setAttribute("aria-hidden", "true");
  const body = el("div", "msg-body");
  const meta = el("p", "msg-meta");
  const time = el("time", "", new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  meta.append(el("span", "msg-author", "provbot"), " ", time);
  body.append(meta);
  const host = { onAction: () => {} };
  for (const att of Array.isArray(act.attachments) ? act.attachments : []) {
    if (att && att.contentType === CARD_TYPE) body.append(renderCard(att.content, host));
  }
  li.append(avatar, body);
  ui.channel.append(li);
  ui.channel.scrollTop = ui.channel.scrollHeight;
}

/**
 * Fetches GET /demo/cast, retrying with backoff until the server answers.
 * @returns {Promise<{cast: object[], roles: string, bot: {id: string, name: string}, serviceUrl: string, tenantId: string}>}
 */
async function loadDemo() {
  for (let delay = 500; ; delay = Math.min(delay * 2, 10000)) {
    try {
      const res = await fetch("/demo/cast", { cache: "no-store" });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const demo = await res.json();
      if (!demo || !Array.isArray(demo.cast) || !demo.bot) throw new Error("unexpected answer");
      setStatus("");
      return demo;
    } catch (err) {
      setStatus(`Can't load the demo cast (${err.message}); retrying…`, true);
      await sleep(delay);
    }
  }
}

/** Renders the cast panel and the "You are" selector. */
function renderCast(cast) {
  ui.cast.replaceChildren();
  ui.persona.replaceChildren();
  const groups = {};
  for (const role of Object.keys(ROLE_LABELS)) {
    const group = document.createElement("optgroup");
    group.label = role === "end-user" ? "End users" : "Help desk";
    groups[role] = group;
  }
  for (const person of cast) {
    ui.cast.append(castMember(person));
    const option = document.createElement("option");
    option.value = person.upn;
    option.textContent = `${person.name} (${roleLabel(person)})`;
    (groups[person.role] || groups["end-user"]).append(option);
  }
  for (const group of Object.values(groups)) {
    if (group.children.length > 0) ui.persona.append(group);
  }
}

/** Builds one cast member's entry: who they are, their story and a suggested question. */
function castMember(person) {
  const li = el("li", "cast-member");
  li.dataset.testid = "cast-member";
  li.dataset.upn = person.upn;
  li.dataset.role = person.role;

  const pick = el("button", "cast-pick");
  pick.type = "button";
  pick.dataset.testid = "cast-pick";
  const hidden = el("span", "visually-hidden", "Chat as ");
  const avatar = el("span", "avatar", initials(person.name));
  avatar.setAttribute("aria-hidden", "true");
  const name = el("span", "cast-name", person.name);
  const badge = el("span", `badge badge-${person.role === "help-desk" ? "help-desk" : "end-user"}`, roleLabel(person));
  pick.append(avatar, hidden, name, badge);
  pick.addEventListener("click", () => {
    if (state.person !== person) choosePerson(person);
    ui.ask.focus();
  });

  const story = el("p", "cast-story", person.story || "");
  li.append(pick, story);
  if (person.question) {
    const chip = el("button", "chip", `Try: “${person.question}”`);
    chip.type = "button";
    chip.dataset.testid = "cast-try";
    chip.dataset.question = person.question;
    chip.setAttribute("aria-label", `Ask as ${person.name}: ${person.question}`);
    chip.addEventListener("click", () => tryQuestion(person));
    li.append(chip);
  }
  return li;
}

/** Becomes person (when needed), then fills in and sends their suggested question. */
async function tryQuestion(person) {
  let conv = state.conv;
  if (state.person !== person) {
    conv = choosePerson(person);
    await conv.waitForBot(WELCOME_WAIT_MS);
    if (state.conv !== conv) return;
  }
  ui.ask.value = person.question;
  ui.ask.focus();
  ui.form.requestSubmit();
}

/**
 * Makes person the visitor and starts a new conversation with the bot, as
 * Teams does when the app is installed: a conversationUpdate adding the bot.
 * @returns {Conversation}
 */
function choosePerson(person) {
  if (state.conv) state.conv.stop();
  state.person = person;
  ui.persona.value = person.upn;
  for (const li of ui.cast.children) {
    const current = li.dataset.upn === person.upn;
    li.classList.toggle("is-current", current);
    if (current) {
      li.setAttribute("aria-current", "true");
      li.scrollIntoView({ block: "nearest", inline: "nearest" });
    } else {
      li.removeAttribute("aria-current");
    }
  }
  ui.who.textContent = `You are ${person.name} · ${roleLabel(person)}`;
  ui.messages.replaceChildren();
  hideTyping();

  const conv = new Conversation(person);
  state.conv = conv;
  ui.chat.dataset.conversationId = conv.id;
  addNote(`You are now ${person.name} (${roleLabel(person)}). New conversation.`);
  conv.poll();
  const update = conv.activity("conversationUpdate");
  update.membersAdded = [{ id: state.demo.bot.id, name: state.demo.bot.name }];
  postActivity(update).then((res) => {
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  }).catch((err) => {
    if (state.conv === conv) addNote(`The bot did not get the new conversation (${err.message}).`, true);
  });
  return conv;
}

/** One conversation between the visitor and the bot, and its long poll. */
class Conversation {
  /** @param {object} person the cast member chatting */
  constructor(person) {
    this.person = person;
    this.id = `a:demo-${randomHex(16)}`;
    this.after = 0;
    this.stopped = false;
    this.abort = new AbortController();
    /** @type {Map<string, HTMLElement>} bot message elements by activity id */
    this.nodes = new Map();
    this.botSeen = false;
    this.botWaiters = [];
  }

  /**
   * Builds an activity from the visitor to the bot in this conversation,
   * with the fields Teams sets.
   * @param {string} type the activity type
   */
  activity(type) {
    const now = new Date();
    const demo = state.demo;
    const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
    const locale = navigator.language || "en-US";
    return {
      type,
      id: `demo-${randomHex(8)}`,
      timestamp: now.toISOString(),
      localTimestamp: localISOString(now),
      localTimezone: tz,
      serviceUrl: demo.serviceUrl,
      channelId: "msteams",
      from: { id: `29:demo-${this.person.objectId}`, name: this.person.name, aadObjectId: this.person.objectId },
      conversation: { id: this.id, conversationType: "personal", tenantId: demo.tenantId },
      recipient: { id: demo.bot.id, name: demo.bot.name },
      channelData: { tenant: { id: demo.tenantId } },
      entities: [{ type: "clientInfo", locale, timezone: tz, platform: "Web" }],
      locale,
    };
  }

  /** Stops the long poll; nothing of this conversation is shown any more. */
  stop() {
    this.stopped = true;
    this.abort.abort();
    for (const resolve of this.botWaiters) resolve(false);
    this.botWaiters = [];
  }

  /**
   * Resolves when the bot's first message arrives, or false after ms.
   * @param {number} ms
   * @returns {Promise<boolean>}
   */
  waitForBot(ms) {
    if (this.botSeen) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.botWaiters.push(resolve);
      setTimeout(() => resolve(false), ms);
    });
  }

  /** Long-polls the local connector for the bot's activities until stopped, with backoff on errors. */
  async poll() {
    let delay = 500;
    while (!this.stopped) {
      try {
        const url = `/demo/conversations/${encodeURIComponent(this.id)}/activities?after=${this.after}`;
        const res = await fetch(url, { cache: "no-store", signal: this.abort.signal });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const page = await res.json();
        if (this.stopped) return;
        for (const item of Array.isArray(page.items) ? page.items : []) this.apply(item);
        if (Number.isInteger(page.next) && page.next > this.after) this.after = page.next;
        setStatus("");
        delay = 500;
      } catch (err) {
        if (this.stopped) return;
        console.warn("provbot demo: poll failed:", err);
        setStatus("Lost the connection to the demo server; retrying…", true);
        await sleep(delay);
        delay = Math.min(delay * 2, 10000);
      }
    }
  }

  /** Shows one connector item: a typing indicator, a new message or a replaced one. */
  apply(item) {
    if (!item || typeof item.seq !== "number" || item.seq <= this.after) return;
    this.after = item.seq;
    const act = item.activity;
    if (!act || typeof act !== "object") return;
    if (act.type === "typing") {
      showTyping();
      return;
    }
    if (act.type !== "message") return;
    hideTyping();
    const fresh = botMessage(this, act);
    const old = act.id ? this.nodes.get(act.id) : undefined;
    if (item.op === "put" && old && old.isConnected) {
      old.replaceWith(fresh);
    } else {
      appendMessage(fresh);
    }
    if (act.id) this.nodes.set(act.id, fresh);
    if (!this.botSeen) {
      this.botSeen = true;
      for (const resolve of this.botWaiters) resolve(true);
      this.botWaiters = [];
    }
  }
}

/** Shows the visitor's message and posts it to the bot. */
async function sendText(conv, text) {
  const li = el("li", "msg msg-user");
  li.dataset.testid = "user-message";
  const body = el("div", "msg-body");
  body.append(el("p", "bubble", text));
  li.append(body);
  appendMessage(li);
  const act = conv.activity("message");
  act.text = text;
  act.textFormat = "plain";
  try {
    const res = await postActivity(act);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
  } catch (err) {
    const note = el("p", "msg-error", `Not delivered (${err.message}). Try again.`);
    note.dataset.testid = "send-error";
    body.append(note);
  }
}

/** Builds the element of a bot message: its text and its cards. */
function botMessage(conv, act) {
  const li = el("li", "msg msg-bot");
  li.dataset.testid = "bot-message";
  if (act.id) li.dataset.activityId = act.id;
  const avatar = el("span", "avatar avatar-bot", "pb");
  avatar.setAttribute("aria-hidden", "true");
  const body = el("div", "msg-body");
  const meta = el("p", "msg-meta");
  const time = el("time", "", new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
  meta.append(el("span", "msg-author", "provbot"), " ", time);
  body.append(meta);
  if (typeof act.text === "string" && act.text.trim() !== "") {
    const text = el("p", "bubble", act.text);
    text.dataset.testid = "bot-text";
    body.append(text);
  }
  const host = { onAction: (action, card, source) => onCardAction(conv, act.id, action, card, source) };
  for (const att of Array.isArray(act.attachments) ? act.attachments : []) {
    if (att && att.contentType === CARD_TYPE) {
      body.append(renderCard(att.content, host));
    } else {
      body.append(el("p", "bubble bubble-muted", `(An attachment of type ${att && att.contentType} is not shown in the demo.)`));
    }
  }
  li.append(avatar, body);
  return li;
}

/**
 * Runs a card button: Action.Execute as an adaptiveCard/action invoke whose
 * answer replaces the card, Action.Submit as a message carrying the data.
 */
function onCardAction(conv, activityId, action, card, source) {
  if (conv.stopped || !card.isConnected) return;
  if (action.type === "Action.Execute") {
    executeAction(conv, activityId, action, card);
  } else if (action.type === "Action.Submit") {
    submitAction(conv, activityId, action, card, source);
  }
}

/** Sends an Action.Execute invoke and shows its answer in place of the card. */
async function executeAction(conv, activityId, action, card) {
  const act = conv.activity("invoke");
  act.name = "adaptiveCard/action";
  if (activityId) act.replyToId = activityId;
  const invoked = { type: "Action.Execute", verb: action.verb ?? "", data: action.data ?? {} };
  if (typeof action.id === "string") invoked.id = action.id;
  act.value = { action: invoked, trigger: "manual" };
  setBusy(card, true);
  let res;
  let answer = null;
  try {
    res = await postActivity(act);
    answer = parseJSON(await res.text());
  } catch (err) {
    setBusy(card, false);
    if (!conv.stopped) cardNote(card, `provbot did not answer that button (${err.message}).`, true);
    return;
  }
  setBusy(card, false);
  if (conv.stopped || !card.isConnected) return;
  const status = answer && Number.isInteger(answer.statusCode) ? answer.statusCode : res.status;
  if (answer && answer.type === CARD_TYPE && answer.value && status < 400) {
    const host = { onAction: (a, c, s) => onCardAction(conv, activityId, a, c, s) };
    const fresh = renderCard(answer.value, host);
    removeCardNote(card);
    card.replaceWith(fresh);
    fresh.focus({ preventScroll: true });
    return;
  }
  if (answer && answer.type === INVOKE_MESSAGE_TYPE && typeof answer.value === "string") {
    cardNote(card, answer.value, status >= 400);
    return;
  }
  if (answer && answer.type === INVOKE_ERROR_TYPE) {
    const message = answer.value && typeof answer.value.message === "string" ? answer.value.message : "Something went wrong.";
    cardNote(card, message, true);
    return;
  }
  if (status >= 400) cardNote(card, `provbot could not handle that button (HTTP ${status}).`, true);
}

/** Sends an Action.Submit as a message whose value is the action's data. */
async function submitAction(conv, activityId, action, card, source) {
  const act = conv.activity("message");
  if (activityId) act.replyToId = activityId;
  act.value = action.data ?? {};
  setBusy(card, true);
  source.classList.add("is-pressed");
  try {
    const res = await postActivity(act);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    removeCardNote(card);
  } catch (err) {
    if (!conv.stopped) cardNote(card, `provbot did not get that (${err.message}).`, true);
  } finally {
    setBusy(card, false);
    source.classList.remove("is-pressed");
  }
}

/** Parses an invoke response body; null when it is empty or not JSON. */
function parseJSON(text) {
  try {
    return text.trim() === "" ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** Posts an activity to the bot's messaging endpoint. */
function postActivity(activity) {
  return fetch("/api/messages", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(activity),
  });
}

/** Disables a card's buttons while one of them is being answered. */
function setBusy(card, busy) {
  card.setAttribute("aria-busy", busy ? "true" : "false");
  for (const b of card.querySelectorAll("button")) {
    if (busy) {
      b.dataset.wasDisabled = String(b.disabled);
      b.disabled = true;
    } else if (b.dataset.wasDisabled !== undefined) {
      b.disabled = b.dataset.wasDisabled === "true";
      delete b.dataset.wasDisabled;
    }
  }
  for (const s of card.querySelectorAll("[data-testid=card-select-action]")) {
    s.setAttribute("aria-disabled", busy ? "true" : "false");
  }
}

/** Shows a short message or error under a card (an invoke's text answer). */
function cardNote(card, text, isError) {
  removeCardNote(card);
  const note = el("p", isError ? "card-note is-error" : "card-note", text);
  note.dataset.testid = "card-note";
  note.setAttribute("role", isError ? "alert" : "status");
  card.after(note);
}

/** Removes the note under a card, if any. */
function removeCardNote(card) {
  const next = card.nextElementSibling;
  if (next && next.classList.contains("card-note")) next.remove();
}

/** Adds a line of information (not a message) to the conversation. */
function addNote(text, isError = false) {
  const li = el("li", isError ? "note is-error" : "note", text);
  li.dataset.testid = "system-note";
  appendMessage(li);
}

/** Appends to the conversation and scrolls it to the end. */
function appendMessage(li) {
  ui.messages.append(li);
  ui.scroll.scrollTop = ui.scroll.scrollHeight;
}

/** Shows "provbot is typing…" until the next message (or a timeout). */
function showTyping() {
  ui.typing.hidden = false;
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(hideTyping, TYPING_TIMEOUT_MS);
}

/** Hides the typing indicator. */
function hideTyping() {
  clearTimeout(state.typingTimer);
  ui.typing.hidden = true;
}

/** Shows or clears the connection status line. */
function setStatus(text, isError = false) {
  ui.status.textContent = text;
  ui.status.hidden = text === "";
  ui.status.classList.toggle("is-error", isError);
}

/** Finds a cast member by UPN. */
function findPerson(upn) {
  return state.demo ? state.demo.cast.find((p) => p.upn === upn) : undefined;
}

/** The label of a cast member's role. */
function roleLabel(person) {
  return ROLE_LABELS[person.role] || "End user";
}

/** Two initials of a name, for avatars. */
function initials(name) {
  return String(name || "?").split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0].toUpperCase()).join("");
}

/**
 * Formats a date as ISO 8601 local time with the browser's UTC offset, as
 * Teams sends localTimestamp: 2026-11-25T14:10:07.437+01:00.
 */
function localISOString(d) {
  const pad = (n, w = 2) => String(n).padStart(w, "0");
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** n random bytes as hex. */
function randomHex(n) {
  const bytes = crypto.getRandomValues(new Uint8Array(n));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Resolves after ms milliseconds. */
function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** document.getElementById. */
function byId(id) {
  return document.getElementById(id);
}

/** Creates an element with a class and, optionally, its text. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
