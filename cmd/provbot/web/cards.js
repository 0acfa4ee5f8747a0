// cards.js: a small Adaptive Card renderer for the demo page.
//
// It renders exactly what provbot's cards use: TextBlock, Container,
// ColumnSet/Column (with selectAction), FactSet, ActionSet, Input.Text,
// Input.ChoiceSet and the actions Action.Execute, Action.Submit,
// Action.OpenUrl and Action.ToggleVisibility. Anything else is replaced by
// its declared fallback or by a visible note; a card that cannot be
// rendered at all shows its fallbackText. Card text comes from directory
// data, so it is only ever inserted with textContent.
//
// It draws cards the way Teams does, never better: the sizes, colours and
// spacings of Teams' light host config (style.css holds them, and a test
// checks them against the host config), at most MAX_ACTIONS buttons in a
// row with the rest dropped, titles on one line cut with an ellipsis, and
// secondary actions in an overflow menu.

/** Teams' host config: actions.maxActions. A button beyond it is dropped. */
export const MAX_ACTIONS = 6;

const SIZES = ["small", "default", "medium", "large", "extralarge"];
const WEIGHTS = ["lighter", "default", "bolder"];
const COLORS = ["default", "dark", "light", "accent", "good", "warning", "attention"];
const SPACINGS = ["none", "small", "default", "medium", "large", "extralarge", "padding"];
const STYLES = ["default", "emphasis", "good", "attention", "warning", "accent"];
const H_ALIGN = ["left", "center", "right"];
const V_ALIGN = ["top", "center", "bottom"];
const LINK_PROTOCOLS = ["http:", "https:", "mailto:"];

let nextDomId = 1;

/**
 * Renders an Adaptive Card into a new element. Never throws: a card that
 * cannot be rendered becomes its fallbackText.
 *
 * @param {unknown} card the AdaptiveCard object of an attachment
 * @param {{onAction: (action: object, card: HTMLElement, source: HTMLElement) => void}} host
 *   receives the Action.Execute and Action.Submit clicks (Action.OpenUrl is
 *   a link, Action.ToggleVisibility acts on the card itself), with the
 *   card's inputs merged into the action's data as Teams does
 * @returns {HTMLElement} the card, a div with data-testid="bot-card"
 */
export function renderCard(card, host) {
  const root = el("div", "ac-card");
  root.dataset.testid = "bot-card";
  root.tabIndex = -1;
  const ctx = { host, root, inputs: [] };
  try {
    if (!isObject(card) || card.type !== "AdaptiveCard") {
      root.dataset.fallback = "true";
      root.append(fallbackBlock(card));
      return root;
    }
    renderItems(root, list(card.body), ctx);
    if (list(card.actions).length > 0) {
      root.append(decorate(renderActionSet({ type: "ActionSet", actions: card.actions }, ctx), { spacing: "default" }));
    }
  } catch (err) {
    root.dataset.renderError = String(err && err.message ? err.message : err);
    root.dataset.fallback = "true";
    root.replaceChildren(fallbackBlock(card));
  }
  return root;
}

/**
 * Returns the card's fallbackText, or a generic sentence when it has none.
 * @param {unknown} card
 * @returns {string}
 */
export function fallbackText(card) {
  if (isObject(card) && typeof card.fallbackText === "string" && card.fallbackText.trim() !== "") {
    return card.fallbackText;
  }
  return "This card can't be shown here.";
}

/** Builds the paragraph shown instead of a card that cannot be rendered. */
function fallbackBlock(card) {
  const p = el("p", "ac-text ac-fallback");
  p.textContent = fallbackText(card);
  return p;
}

/** Renders the elements of a body, Container or Column into parent. */
function renderItems(parent, items, ctx) {
  for (const item of items) {
    const node = renderElement(item, ctx);
    if (node) parent.append(node);
  }
}

const ELEMENTS = {
  TextBlock: renderTextBlock,
  Container: renderContainer,
  ColumnSet: renderColumnSet,
  FactSet: renderFactSet,
  ActionSet: renderActionSet,
  "Input.Text": renderTextInput,
  "Input.ChoiceSet": renderChoiceSet,
};

/**
 * Renders one card element, its fallback when its type is unknown, or a
 * visible note saying it was skipped. An element with isVisible false is
 * rendered hidden, for an Action.ToggleVisibility to show.
 * @returns {HTMLElement|null} null when the element is dropped
 */
function renderElement(item, ctx) {
  if (!isObject(item)) return unsupported("an invalid element");
  const render = ELEMENTS[item.type];
  let node;
  if (render) {
    node = decorate(render(item, ctx), item);
  } else if (item.fallback === "drop") {
    return null;
  } else if (isObject(item.fallback)) {
    return renderElement(item.fallback, ctx);
  } else {
    node = decorate(unsupported(typeof item.type === "string" ? item.type : "an element"), item);
  }
  if (typeof item.id === "string" && item.id !== "") node.dataset.acId = item.id;
  if (item.isVisible === false) node.hidden = true;
  return node;
}

/** Builds the note that replaces an element the renderer does not know. */
function unsupported(what) {
  const p = el("p", "ac-unsupported");
  p.dataset.testid = "card-unsupported";
  p.textContent = `(A part of this card, ${what}, can't be shown in the demo.)`;
  return p;
}

/** Applies the common element properties: spacing, separator and height. */
function decorate(node, item) {
  const spacing = pick(item.spacing, SPACINGS) || "default";
  node.classList.add(`ac-spacing-${spacing}`);
  if (item.separator === true) node.classList.add("ac-separator");
  if (item.height === "stretch") node.classList.add("ac-height-stretch");
  return node;
}

/** Renders a TextBlock as a paragraph with size, weight and colour classes. */
function renderTextBlock(tb) {
  const p = el("p", "ac-text");
  p.textContent = shownText(typeof tb.text === "string" ? tb.text : String(tb.text ?? ""));
  addChoice(p, "ac-size-", tb.size, SIZES);
  addChoice(p, "ac-weight-", tb.weight, WEIGHTS);
  addChoice(p, "ac-color-", tb.color, COLORS);
  addChoice(p, "ac-align-", tb.horizontalAlignment, H_ALIGN);
  if (tb.isSubtle === true) p.classList.add("ac-subtle");
  if (tb.wrap !== true) p.classList.add("ac-nowrap");
  return p;
}

/**
 * Returns the text Teams shows for Markdown source: a backslash before ASCII
 * punctuation is an escape (CommonMark) and is not shown. provbot escapes
 * every text it did not write and uses no other Markdown.
 * @param {string} markdown
 * @returns {string}
 */
function shownText(markdown) {
  return markdown.replace(/\\([!-\/:-@[-`{-~])/g, "$1");
}

/** Renders a Container with its style, alignment and optional selectAction. */
function renderContainer(c, ctx) {
  const div = el("div", "ac-container");
  addChoice(div, "ac-style-", c.style, STYLES);
  addChoice(div, "ac-valign-", c.verticalContentAlignment, V_ALIGN);
  renderItems(div, list(c.items), ctx);
  if (c.selectAction) makeSelectable(div, c.selectAction, ctx);
  return div;
}

/** Renders a ColumnSet as a flex row of its Columns. */
function renderColumnSet(cs, ctx) {
  const row = el("div", "ac-columnset");
  addChoice(row, "ac-style-", cs.style, STYLES);
  for (const col of list(cs.columns)) {
    if (!isObject(col) || col.isVisible === false) continue;
    row.append(renderColumn(col, ctx));
  }
  if (cs.selectAction) makeSelectable(row, cs.selectAction, ctx);
  return row;
}

/** Renders one Column with its width ("auto", "stretch", a weight or "Npx"). */
function renderColumn(col, ctx) {
  const div = el("div", "ac-column");
  setColumnWidth(div, col.width);
  const spacing = pick(col.spacing, SPACINGS);
  if (spacing) div.classList.add(`ac-colspacing-${spacing}`);
  if (col.separator === true) div.classList.add("ac-colseparator");
  addChoice(div, "ac-style-", col.style, STYLES);
  addChoice(div, "ac-valign-", col.verticalContentAlignment, V_ALIGN);
  renderItems(div, list(col.items), ctx);
  if (col.selectAction) makeSelectable(div, col.selectAction, ctx);
  return div;
}

/** Sets a column's flex sizing from its Adaptive Card width. */
function setColumnWidth(div, width) {
  if (width === "auto") {
    div.classList.add("ac-width-auto");
    return;
  }
  const text = typeof width === "number" ? String(width) : String(width ?? "");
  if (/^\d+(\.\d+)?$/.test(text) && Number(text) > 0) {
    div.classList.add("ac-width-weighted");
    div.style.flex = `${Number(text)} 1 0`;
    return;
  }
  const px = /^(\d+)px$/.exec(text);
  if (px) {
    div.classList.add("ac-width-pixels");
    div.style.flex = `0 0 ${px[1]}px`;
    return;
  }
  div.classList.add("ac-width-stretch");
}

/** Renders a FactSet as a two-column description list. */
function renderFactSet(fs) {
  const dl = el("dl", "ac-factset");
  for (const fact of list(fs.facts)) {
    if (!isObject(fact)) continue;
    const dt = el("dt", "ac-fact-title");
    dt.textContent = shownText(String(fact.title ?? ""));
    const dd = el("dd", "ac-fact-value");
    dd.textContent = shownText(String(fact.value ?? ""));
    dl.append(dt, dd);
  }
  return dl;
}

/** Renders an input's label, when it has one, and registers its value. */
function inputBlock(item, ctx, control, value) {
  const div = el("div", "ac-input-container");
  if (typeof item.label === "string" && item.label !== "") {
    const label = el(control.tagName === "FIELDSET" ? "legend" : "label", "ac-input-label");
    label.textContent = item.label;
    if (label.tagName === "LABEL") label.htmlFor = control.id;
    (label.tagName === "LEGEND" ? control : div).prepend(label);
  }
  div.append(control);
  if (typeof item.id === "string" && item.id !== "") ctx.inputs.push({ id: item.id, value });
  return div;
}

/** Renders an Input.Text as a text box (a text area when multi-line). */
function renderTextInput(item, ctx) {
  const multiline = item.isMultiline === true;
  const input = el(multiline ? "textarea" : "input", "ac-input ac-textinput");
  input.id = `ac-input-${nextDomId++}`;
  if (multiline) input.rows = 6;
  else input.type = "text";
  input.value = typeof item.value === "string" ? item.value : "";
  if (typeof item.placeholder === "string") input.placeholder = item.placeholder;
  input.dataset.testid = "card-input";
  return inputBlock(item, ctx, input, () => input.value);
}

/**
 * Renders an Input.ChoiceSet: radio buttons when expanded, else a
 * drop-down whose first option is the placeholder.
 */
function renderChoiceSet(item, ctx) {
  const choices = list(item.choices).filter((c) => isObject(c) && typeof c.value === "string");
  const initial = typeof item.value === "string" ? item.value : "";
  if (pick(item.style, ["compact", "expanded"]) === "expanded") {
    const set = el("fieldset", "ac-input ac-choiceset-expanded");
    set.id = `ac-input-${nextDomId++}`;
    const name = `ac-choice-${nextDomId++}`;
    const radios = [];
    for (const c of choices) {
      const label = el("label", "ac-choice");
      const radio = el("input", "");
      radio.type = "radio";
      radio.name = name;
      radio.value = c.value;
      radio.checked = c.value === initial;
      radios.push(radio);
      const title = el("span", "");
      title.textContent = String(c.title ?? "");
      label.append(radio, title);
      set.append(label);
    }
    set.dataset.testid = "card-input";
    return inputBlock(item, ctx, set, () => radios.find((r) => r.checked)?.value ?? "");
  }
  const select = el("select", "ac-input ac-choiceset-compact");
  select.id = `ac-input-${nextDomId++}`;
  const placeholder = el("option", "");
  placeholder.value = "";
  placeholder.textContent = typeof item.placeholder === "string" ? item.placeholder : "";
  select.append(placeholder);
  for (const c of choices) {
    const option = el("option", "");
    option.value = c.value;
    option.textContent = String(c.title ?? "");
    select.append(option);
  }
  select.value = initial;
  select.dataset.testid = "card-input";
  return inputBlock(item, ctx, select, () => select.value);
}

/**
 * Renders an ActionSet (or a card's actions) as Teams does: the primary
 * actions on one row (at most MAX_ACTIONS, the rest dropped), each title on
 * one line cut with an ellipsis when the row is too narrow, and the
 * secondary actions (mode "secondary") in a menu behind a "…" button.
 */
function renderActionSet(as, ctx) {
  const div = el("div", "ac-actionset");
  const row = el("div", "ac-actionrow");
  const actions = list(as.actions).filter((a) => isObject(a) && a.isVisible !== false);
  const primary = actions.filter((a) => pick(a.mode, ["primary", "secondary"]) !== "secondary").slice(0, MAX_ACTIONS);
  const secondary = actions.filter((a) => pick(a.mode, ["primary", "secondary"]) === "secondary");
  for (const action of primary) {
    const node = renderAction(action, ctx);
    if (node) row.append(node);
  }
  div.append(row);
  if (secondary.length > 0) {
    const menu = el("div", "ac-overflow-menu");
    menu.hidden = true;
    menu.setAttribute("role", "menu");
    menu.dataset.testid = "card-overflow-menu";
    for (const action of secondary) {
      const node = renderAction(action, ctx);
      if (!node) continue;
      node.classList.add("ac-menuitem");
      node.setAttribute("role", "menuitem");
      node.addEventListener("click", () => {
        menu.hidden = true;
        more.setAttribute("aria-expanded", "false");
      });
      menu.append(node);
    }
    const more = actionButton({ type: "Action.Overflow" }, "…");
    more.dataset.testid = "card-overflow";
    more.setAttribute("aria-label", "More options");
    more.setAttribute("aria-haspopup", "menu");
    more.setAttribute("aria-expanded", "false");
    more.addEventListener("click", (event) => {
      event.stopPropagation();
      menu.hidden = !menu.hidden;
      more.setAttribute("aria-expanded", String(!menu.hidden));
      if (!menu.hidden) menu.querySelector("button, a")?.focus();
    });
    menu.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      menu.hidden = true;
      more.setAttribute("aria-expanded", "false");
      more.focus();
    });
    row.append(more);
    div.append(menu);
  }
  return div;
}

/**
 * Renders one action: a button for Action.Execute, Action.Submit and
 * Action.ToggleVisibility, a link opening a new tab for Action.OpenUrl,
 * the fallback or a disabled button for anything else.
 * @returns {HTMLElement|null}
 */
function renderAction(action, ctx) {
  if (!isObject(action) || action.isVisible === false) return null;
  const title = typeof action.title === "string" ? action.title : "";
  switch (action.type) {
    case "Action.OpenUrl":
      return renderLink(action, title);
    case "Action.Execute":
    case "Action.Submit": {
      const button = actionButton(action, title || "Send");
      button.disabled = action.isEnabled === false;
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        ctx.host.onAction(withInputs(action, ctx), ctx.root, button);
      });
      return button;
    }
    case "Action.ToggleVisibility": {
      const button = actionButton(action, title || "Show");
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        toggleTargets(action, ctx, button);
      });
      return button;
    }
    default: {
      if (action.fallback === "drop") return null;
      if (isObject(action.fallback)) return renderAction(action.fallback, ctx);
      const button = actionButton(action, title || String(action.type));
      button.disabled = true;
      button.title = "This button isn't available in the demo.";
      return button;
    }
  }
}

/** Shows or hides the card's elements an Action.ToggleVisibility names. */
function toggleTargets(action, ctx, button) {
  let shown = false;
  for (const target of list(action.targetElements)) {
    const id = typeof target === "string" ? target : isObject(target) ? target.elementId : "";
    if (typeof id !== "string" || id === "") continue;
    for (const node of ctx.root.querySelectorAll("[data-ac-id]")) {
      if (node.dataset.acId !== id) continue;
      node.hidden = isObject(target) && typeof target.isVisible === "boolean" ? !target.isVisible : !node.hidden;
      shown = shown || !node.hidden;
    }
  }
  button.setAttribute("aria-expanded", String(shown));
}

/**
 * Returns the action with the card's inputs merged into its data, as Teams
 * sends it (unless associatedInputs is "none", or the data is not an
 * object).
 */
function withInputs(action, ctx) {
  if (pick(action.associatedInputs, ["auto", "none"]) === "none" || ctx.inputs.length === 0) return action;
  if (action.data !== undefined && !isObject(action.data)) return action;
  const data = { ...(action.data ?? {}) };
  for (const input of ctx.inputs) data[input.id] = input.value();
  return { ...action, data };
}

/** Builds the <button> of an action, with the attributes tests look for. */
function actionButton(action, title) {
  const button = el("button", "ac-action");
  button.type = "button";
  const text = el("span", "ac-action-title");
  text.textContent = title;
  button.append(text);
  button.dataset.testid = "card-action";
  button.dataset.title = title;
  button.dataset.actionType = String(action.type);
  button.title = typeof action.tooltip === "string" ? action.tooltip : title;
  return button;
}

/** Renders Action.OpenUrl as a link to an http(s) or mailto URL. */
function renderLink(action, title) {
  const url = safeURL(action.url);
  if (!url) {
    const button = actionButton(action, title || "Link");
    button.disabled = true;
    button.title = "This link has an address the demo does not open.";
    return button;
  }
  const a = el("a", "ac-action ac-action-link");
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  const text = el("span", "ac-action-title");
  text.textContent = title || url;
  a.append(text);
  a.dataset.testid = "card-action";
  a.dataset.title = title;
  a.dataset.actionType = "Action.OpenUrl";
  a.title = title || url;
  const hint = el("span", "visually-hidden");
  hint.textContent = " (opens in a new tab)";
  a.append(hint);
  return a;
}

/**
 * Makes a Container, ColumnSet or Column act as its selectAction: clickable
 * and, as an ARIA button, focusable and operable with Enter and Space. (It
 * cannot be a <button>: it holds block content.)
 */
function makeSelectable(node, action, ctx) {
  if (!isObject(action)) return;
  const title = typeof action.title === "string" ? action.title : "";
  let run;
  if (action.type === "Action.OpenUrl") {
    const url = safeURL(action.url);
    if (!url) return;
    run = () => window.open(url, "_blank", "noopener,noreferrer");
  } else if (action.type === "Action.Execute" || action.type === "Action.Submit") {
    run = () => ctx.host.onAction(withInputs(action, ctx), ctx.root, node);
  } else {
    return;
  }
  node.classList.add("ac-selectable");
  node.tabIndex = 0;
  node.setAttribute("role", "button");
  if (title) node.setAttribute("aria-label", `${title}: ${node.textContent}`);
  node.dataset.testid = "card-select-action";
  node.dataset.title = title;
  node.addEventListener("click", (event) => {
    event.stopPropagation();
    if (node.getAttribute("aria-disabled") !== "true") run();
  });
  node.addEventListener("keydown", (event) => {
    if (event.target !== node || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    event.stopPropagation();
    if (node.getAttribute("aria-disabled") !== "true") run();
  });
}

/** Returns url as an absolute http(s) or mailto URL, or "" when it is not one. */
function safeURL(url) {
  if (typeof url !== "string") return "";
  try {
    const u = new URL(url, window.location.href);
    return LINK_PROTOCOLS.includes(u.protocol) ? u.href : "";
  } catch {
    return "";
  }
}

/** Adds prefix+value as a class when value is one of the allowed choices (case-insensitive). */
function addChoice(node, prefix, value, allowed) {
  const v = pick(value, allowed);
  if (v) node.classList.add(prefix + v);
}

/** Returns value lower-cased when it is one of allowed, else "". */
function pick(value, allowed) {
  if (typeof value !== "string") return "";
  const v = value.toLowerCase();
  return allowed.includes(v) ? v : "";
}

/** Returns value when it is an array, else an empty array. */
function list(value) {
  return Array.isArray(value) ? value : [];
}

/** Reports whether value is a plain JSON object. */
function isObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Creates an element with a class. */
function el(tag, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  return node;
}
