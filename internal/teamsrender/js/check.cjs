// Parses Adaptive Cards with Microsoft's own library (npm "adaptivecards")
// and a host config, and reports what the library says about each card.
//
// stdin:  {"hostConfig": {...}, "targetVersion": "1.5",
//          "cards": [{"name": "...", "json": "<the card's JSON text>"}]}
// stdout: {"library": "3.0.6", "cards": [<report>, ...]}
//
// The Go package internal/teamsrender runs it; see check.go there for the
// meaning of each field.
"use strict";

const fs = require("fs");
const path = require("path");
const AC = require("adaptivecards/dist/adaptivecards.min.js");

// Collections the library parses itself rather than through an object's
// schema, by the type that owns them.
const structural = {
  AdaptiveCard: ["body", "actions", "msteams"],
  Container: ["items"],
  Column: ["items"],
  TableCell: ["items"],
  ColumnSet: ["columns"],
  ActionSet: ["actions"],
  RichTextBlock: ["inlines"],
  Table: ["rows"],
  TableRow: ["cells"],
  "Action.ShowCard": ["card"],
};

// Typed objects that are not in the global registries.
const unregistered = {
  AdaptiveCard: () => new AC.AdaptiveCard(),
  Column: () => new AC.Column(),
  TableRow: () => new AC.TableRow(),
  TableCell: () => new AC.TableCell(),
};

function schemaNames(obj) {
  const schema = obj.getSchema();
  const names = new Set();
  for (let i = 0; i < schema.getCount(); i++) {
    names.add(schema.getItemAt(i).name);
  }
  return names;
}

const schemaCache = new Map();

// knownProperties returns the property names the library reads for a typed
// object, or undefined when the type is unknown (the parse events say so).
function knownProperties(type) {
  if (schemaCache.has(type)) {
    return schemaCache.get(type);
  }
  let instance;
  if (unregistered[type]) {
    instance = unregistered[type]();
  } else {
    instance =
      AC.GlobalRegistry.elements.createInstance(type, AC.Versions.latest) ||
      AC.GlobalRegistry.actions.createInstance(type, AC.Versions.latest);
  }
  let names;
  if (instance) {
    names = schemaNames(instance);
    names.add("fallback");
    for (const extra of structural[type] || []) {
      names.add(extra);
    }
  }
  schemaCache.set(type, names);
  return names;
}

function isObject(v) {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

// Walker collects, from the card's JSON, what the library's parse does not
// report: properties it ignores, action sets, ids and the text colours used.
class Walker {
  constructor() {
    this.unknownProperties = [];
    this.actionSets = [];
    this.texts = [];
    this.ids = [];
  }

  typed(obj, path, type) {
    const known = knownProperties(type);
    if (typeof obj.id === "string" && obj.id !== "") {
      this.ids.push(obj.id);
    }
    if (!known) {
      return;
    }
    for (const key of Object.keys(obj)) {
      if (!known.has(key)) {
        this.unknownProperties.push({ path: path + "." + key, type: type, property: key });
      }
    }
  }

  card(obj, path) {
    this.typed(obj, path, "AdaptiveCard");
    this.elements(obj.body, path + ".body");
    this.actions(obj.actions, path + ".actions");
  }

  elements(list, path) {
    if (!Array.isArray(list)) {
      return;
    }
    list.forEach((el, i) => this.element(el, path + "[" + i + "]"));
  }

  element(el, path) {
    if (!isObject(el) || typeof el.type !== "string") {
      return;
    }
    this.typed(el, path, el.type);
    switch (el.type) {
      case "TextBlock":
        this.text(el, path);
        break;
      case "RichTextBlock":
        (Array.isArray(el.inlines) ? el.inlines : []).forEach((run, i) => {
          if (isObject(run)) {
            this.typed(run, path + ".inlines[" + i + "]", "TextRun");
            this.text(run, path + ".inlines[" + i + "]");
          }
        });
        break;
      case "Container":
        this.elements(el.items, path + ".items");
        break;
      case "ColumnSet":
        (Array.isArray(el.columns) ? el.columns : []).forEach((col, i) => {
          const p = path + ".columns[" + i + "]";
          if (isObject(col)) {
            this.typed(col, p, "Column");
            this.elements(col.items, p + ".items");
            this.selectAction(col.selectAction, p + ".selectAction");
          }
        });
        break;
      case "ActionSet":
        this.actions(el.actions, path + ".actions");
        break;
      case "Table":
        (Array.isArray(el.rows) ? el.rows : []).forEach((row, i) => {
          const p = path + ".rows[" + i + "]";
          if (!isObject(row)) {
            return;
          }
          this.typed(row, p, "TableRow");
          (Array.isArray(row.cells) ? row.cells : []).forEach((cell, j) => {
            if (isObject(cell)) {
              this.typed(cell, p + ".cells[" + j + "]", "TableCell");
              this.elements(cell.items, p + ".cells[" + j + "].items");
            }
          });
        });
        break;
    }
    this.selectAction(el.selectAction, path + ".selectAction");
    if (isObject(el.fallback)) {
      this.element(el.fallback, path + ".fallback");
    }
  }

  text(el, path) {
    this.texts.push({
      path: path,
      text: typeof el.text === "string" ? el.text : "",
      color: typeof el.color === "string" ? el.color.toLowerCase() : "default",
      isSubtle: el.isSubtle === true,
    });
  }

  selectAction(a, path) {
    if (isObject(a)) {
      this.action(a, path);
    }
  }

  actions(list, path) {
    if (!Array.isArray(list)) {
      return;
    }
    const set = { path: path, titles: [], types: [], secondary: 0 };
    list.forEach((a, i) => {
      if (!isObject(a)) {
        return;
      }
      set.titles.push(typeof a.title === "string" ? a.title : "");
      set.types.push(typeof a.type === "string" ? a.type : "");
      if (typeof a.mode === "string" && a.mode.toLowerCase() === "secondary") {
        set.secondary++;
      }
      this.action(a, path + "[" + i + "]");
    });
    this.actionSets.push(set);
  }

  action(a, path) {
    if (typeof a.type !== "string") {
      return;
    }
    this.typed(a, path, a.type);
    if (a.type === "Action.ShowCard" && isObject(a.card)) {
      this.card(a.card, path + ".card");
    }
    if (isObject(a.fallback)) {
      this.action(a.fallback, path + ".fallback");
    }
  }
}

function describeSource(source) {
  if (!source || typeof source.getJsonTypeName !== "function") {
    return "";
  }
  const type = source.getJsonTypeName();
  return source.id ? type + " #" + source.id : type;
}

function eventRecord(phase, e) {
  return {
    phase: phase,
    event: AC.ValidationEvent[e.event] || String(e.event),
    message: e.message,
    source: describeSource(e.source),
  };
}

function checkCard(entry, hostConfig, targetVersion) {
  const report = { name: entry.name, events: [], actionSets: [], unknownProperties: [], texts: [], ids: [] };
  let source;
  try {
    source = JSON.parse(entry.json);
  } catch (err) {
    report.jsonError = String(err.message || err);
    return report;
  }
  if (!isObject(source)) {
    report.jsonError = "not a JSON object";
    return report;
  }
  report.type = typeof source.type === "string" ? source.type : "";
  report.version = typeof source.version === "string" ? source.version : "";

  const card = new AC.AdaptiveCard();
  card.hostConfig = hostConfig;
  const context = new AC.SerializationContext(targetVersion);
  try {
    card.parse(source, context);
  } catch (err) {
    report.parseError = String(err.message || err);
    return report;
  }
  for (let i = 0; i < context.eventCount; i++) {
    report.events.push(eventRecord("parse", context.getEventAt(i)));
  }
  for (const e of card.validateProperties().validationEvents) {
    report.events.push(eventRecord("validation", e));
  }

  const walker = new Walker();
  walker.card(source, "$");
  Object.assign(report, {
    actionSets: walker.actionSets,
    unknownProperties: walker.unknownProperties,
    texts: walker.texts,
    ids: walker.ids,
  });
  return report;
}

function main() {
  const input = JSON.parse(fs.readFileSync(0, "utf8"));
  const hostConfig = new AC.HostConfig(input.hostConfig);
  const targetVersion = AC.Version.parse(input.targetVersion, new AC.SerializationContext());
  const pkg = JSON.parse(
    fs.readFileSync(path.join(path.dirname(require.resolve("adaptivecards/package.json")), "package.json"), "utf8"),
  );
  const out = {
    library: pkg.version,
    maxActions: hostConfig.actions.maxActions,
    cards: input.cards.map((entry) => checkCard(entry, hostConfig, targetVersion)),
  };
  process.stdout.write(JSON.stringify(out));
}

main();
