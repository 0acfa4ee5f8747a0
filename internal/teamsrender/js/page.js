// Renders one Adaptive Card with Microsoft's library and a host config, the
// way Teams draws it, and measures what a test needs. The Go package
// internal/teamsrender drives it in headless Chromium:
//
//   teamsrender.render(cardJSON, hostConfigJSON, theme, width) -> measurements
//
// See render.go there for the meaning of each field.
"use strict";

(function () {
  const AC = window.AdaptiveCards;

  // The library looks for window.markdownit itself; Teams renders Markdown
  // in TextBlocks and facts, so the page does too.

  function parseColor(s) {
    const m = /^rgba?\(([^)]+)\)$/.exec(s.trim());
    if (!m) {
      return null;
    }
    const p = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  }

  function over(top, bottom) {
    const a = top.a + bottom.a * (1 - top.a);
    if (a === 0) {
      return { r: 0, g: 0, b: 0, a: 0 };
    }
    const mix = (t, b) => (t * top.a + b * bottom.a * (1 - top.a)) / a;
    return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: a };
  }

  function hex(c) {
    const h = (v) => Math.round(v).toString(16).padStart(2, "0");
    return "#" + h(c.r) + h(c.g) + h(c.b);
  }

  // WCAG 2 relative luminance and contrast ratio.
  function luminance(c) {
    const ch = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
  }

  function contrast(a, b) {
    const la = luminance(a);
    const lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  // background is the opaque colour behind el: its own and its ancestors'
  // backgrounds, composed over the page's.
  function background(el) {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parseColor(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) {
        layers.push(c);
        if (c.a >= 1) {
          break;
        }
      }
    }
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) {
      bg = over(layers[i], bg);
    }
    return bg;
  }

  const colorNames = ["Default", "Dark", "Light", "Accent", "Good", "Warning", "Attention"];

  // annotate marks the rendered element of every TextBlock and TextRun with
  // the colour the card asked for, so contrast can be reported by name.
  function annotate(el) {
    if (!el) {
      return;
    }
    if (el instanceof AC.TextBlock || el instanceof AC.TextRun) {
      const r = el.renderedElement;
      if (r) {
        r.dataset.trColor = (colorNames[el.color] || "Default").toLowerCase();
        r.dataset.trSubtle = el.isSubtle ? "1" : "";
      }
    }
    if (el instanceof AC.RichTextBlock) {
      for (let i = 0; i < el.getInlineCount(); i++) {
        annotate(el.getInlineAt(i));
      }
    }
    if (typeof el.getItemCount === "function" && typeof el.getItemAt === "function") {
      for (let i = 0; i < el.getItemCount(); i++) {
        annotate(el.getItemAt(i));
      }
    }
  }

  function box(el, origin) {
    const r = el.getBoundingClientRect();
    return { top: r.top - origin.top, bottom: r.bottom - origin.top, left: r.left - origin.left, width: r.width, height: r.height };
  }

  // clipped says whether el cuts its content: it hides overflow and its
  // content is wider or taller than it shows.
  function clipped(el) {
    if (!el) {
      return false;
    }
    const style = getComputedStyle(el);
    return (
      (style.overflowX !== "visible" && el.scrollWidth > el.clientWidth + 0.5) ||
      (style.overflowY !== "visible" && el.scrollHeight > el.clientHeight + 0.5)
    );
  }

  function visible(el) {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden";
  }

  function measure(root, card) {
    const origin = root.getBoundingClientRect();
    const out = {
      width: origin.width,
      height: origin.height,
      elements: {},
      actions: [],
      texts: [],
      truncatedTexts: [],
      links: [],
    };

    // Elements with an id: the library puts the id on the rendered element.
    for (const el of root.querySelectorAll("[id]")) {
      if (visible(el)) {
        out.elements[el.id] = box(el, origin);
      }
    }

    for (const button of root.querySelectorAll(".ac-pushButton, .ac-pushButton-disabled")) {
      if (!visible(button)) {
        continue;
      }
      const title = button.querySelector("div") || button;
      out.actions.push({
        title: title.textContent,
        ariaLabel: button.getAttribute("aria-label") || "",
        box: box(button, origin),
        truncated: clipped(title) || clipped(button),
        textWidth: title.scrollWidth,
        shownWidth: title.clientWidth,
      });
    }

    const textEls = root.querySelectorAll(".ac-textBlock, .ac-textRun, .ac-richTextBlock");
    for (const el of textEls) {
      if (!visible(el) || el.classList.contains("ac-richTextBlock")) {
        continue;
      }
      const text = el.textContent.trim();
      if (text === "") {
        continue;
      }
      const style = getComputedStyle(el);
      const bg = background(el);
      const fg = over(parseColor(style.color) || { r: 0, g: 0, b: 0, a: 1 }, bg);
      const size = parseFloat(style.fontSize);
      const weight = parseInt(style.fontWeight, 10);
      out.texts.push({
        text: text,
        color: el.dataset.trColor || "default",
        isSubtle: el.dataset.trSubtle === "1",
        foreground: hex(fg),
        background: hex(bg),
        contrast: Math.round(contrast(fg, bg) * 100) / 100,
        fontSize: size,
        fontWeight: weight,
        box: box(el, origin),
      });
      // Without wrap the library cuts the text's first paragraph; with
      // maxLines it clamps the text block itself.
      if (clipped(el) || clipped(el.firstElementChild)) {
        out.truncatedTexts.push({ text: text, box: box(el, origin) });
      }
    }

    for (const a of root.querySelectorAll("a[href]")) {
      if (a.classList.contains("ac-pushButton")) {
        continue;
      }
      out.links.push({ text: a.textContent, href: a.getAttribute("href") });
    }
    return out;
  }

  let current = null;

  window.teamsrender = {
    library: AC && AC.GlobalSettings ? "adaptivecards" : "",

    // render draws cardJSON (a string) with hostConfigJSON (a string) at
    // width CSS pixels and returns its measurements, or {error}.
    render(cardJSON, hostConfigJSON, theme, width) {
      const host = document.getElementById("host");
      host.innerHTML = "";
      host.style.width = width + "px";
      document.body.className = "theme-" + theme;
      current = null;

      const card = new AC.AdaptiveCard();
      card.hostConfig = new AC.HostConfig(JSON.parse(hostConfigJSON));
      const context = new AC.SerializationContext(AC.Versions.v1_5);
      try {
        card.parse(JSON.parse(cardJSON), context);
      } catch (err) {
        return { error: "parse: " + err };
      }
      let root;
      try {
        root = card.render();
      } catch (err) {
        return { error: "render: " + err };
      }
      if (!root) {
        return { error: "render: the library drew nothing" };
      }
      root.style.width = "100%";
      root.style.boxSizing = "border-box";
      host.appendChild(root);
      annotate(card);
      current = { card: card, root: root };
      return measure(root, card);
    },
  };
})();
