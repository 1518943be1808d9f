// banmian serve: the live proof. The server pushes a view of every build over a WebSocket; this
// script draws it — the pages (SVG, swapped only when a page changed, once the new one is
// decoded, so nothing flickers), the overlay of frames, fill, overset, holes, jump lines and
// line-composition marks (positions in pt, drawn in % of the page so they follow any zoom), the
// thumbnails and the report. It never reloads the page.
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const PX_PER_PT = 96 / 72;
  const state = {
    view: null,
    index: 0,
    zoom: null, // null: fit the desk's width
    overlay: localStorage.getItem("banmian.overlay") === "on",
    report: localStorage.getItem("banmian.report") !== "off",
    latest: 0,
    drawing: Promise.resolve(),
  };
  // For tests and measurements: when the last view arrived and was drawn (ms since 1970), and
  // what arrived over the socket.
  window.proof = { updated: null, messages: 0, bytes: 0 };

  /** An element with attributes (on… ones are listeners) and children; text is never parsed as HTML. */
  function h(tag, attrs = {}, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key === "class") el.className = value;
      else if (key === "style") Object.assign(el.style, value);
      else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key, value === true ? "" : value);
    }
    el.append(...children.flat().filter((c) => c != null && c !== false));
    return el;
  }

  const percent = (value, of) => `${(100 * value) / of}%`;
  const placed = (rect, page) => ({
    left: percent(rect.x, page.width),
    top: percent(rect.y, page.height),
    width: percent(rect.w, page.width),
    height: percent(rect.h, page.height),
  });
  const share = (used, lines) => (lines ? Math.round((100 * used) / lines) : 100);
  const holeLines = (page) => page.holes.reduce((n, hole) => n + hole.columns * hole.lines, 0);
  const oversetOf = (page) => page.frames.filter((f) => f.overset);
  const nextFrame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));

  // ---- The pages ----

  function pageShell(page, i) {
    return h("section", { class: "page", id: `page-${i}`, "data-index": i },
      h("header", {}, h("b", {}, page.name), h("span", { class: "section" }), h("span", { class: "fill" })),
      h("div", { class: "sheet" }, h("img", { alt: page.name, src: page.svg }), h("div", { class: "overlay" })));
  }

  /** Shows `src` in place of `img` once it is decoded. */
  async function swapImage(img, src) {
    if (img.getAttribute("src") === src) return;
    const next = h("img", { alt: img.alt, src });
    await next.decode().catch(() => {});
    img.replaceWith(next);
  }

  function overlayOf(page) {
    const items = [];
    for (const picture of page.pictures) {
      items.push(h("div", { class: "box picture", style: placed(picture, page) }, h("span", {}, "图")));
    }
    for (const hole of page.holes) {
      const label = `空 ${hole.lines} 行 × ${hole.columns} 栏`;
      items.push(h("div", { class: "box hole", style: placed(hole.rect, page), title: label }, h("span", {}, label)));
    }
    for (const frame of page.frames) items.push(...frameItems(frame, page));
    for (const mark of page.marks) {
      items.push(h("div", { class: "box mark", id: mark.id, style: placed(mark.rect, page), title: mark.text }));
    }
    return items;
  }

  function frameItems(frame, page) {
    const free = frame.free ? h("span", { class: "free" }, ` · 空 ${frame.free}`) : null;
    const label = h("span", { class: "label fill", title: frame.title },
      `${frame.article} ${frame.part}/${frame.parts} · ${frame.used}/${frame.lines} 行`, free);
    const over = frame.overset &&
      h("span", { class: "overset" }, h("i", {}, "+"), `差 ${frame.overset.lines} 行 / ${frame.overset.chars} 字`);
    const box = h("div", {
      class: `box frame${frame.overset ? " over" : ""}`, id: frame.id, style: placed(frame.rect, page),
      title: `${frame.title} — ${frame.chars} 字`,
    }, label, over);
    const jumps = [["to", frame.jump_to, "→"], ["from", frame.jump_from, "←"]]
      .filter(([, jump]) => jump)
      .map(([kind, jump, arrow]) => h("a", {
        class: `box jump ${kind}`, href: `#${jump.target}`, style: placed(jump.at, page),
        title: `${jump.label}: page ${jump.page}`, onclick: (e) => { e.preventDefault(); reveal(jump.target); },
      }, h("span", {}, `${kind === "from" ? arrow + " " : ""}${jump.label.replace(/[（）()]/g, "")}${kind === "to" ? " " + arrow : ""}`)));
    return [box, ...jumps];
  }

  function drawPages(view, fresh) {
    const pages = $("pages");
    if (fresh) pages.replaceChildren(...view.pages.map(pageShell));
    view.pages.forEach((page, i) => {
      const el = pages.children[i];
      el.querySelector(".section").textContent = page.section || "";
      el.querySelector(".fill").textContent =
        `填充 ${share(page.used, page.lines)}% · ${page.used}/${page.lines} 行` + (holeLines(page) ? ` · 空 ${holeLines(page)}` : "");
      el.querySelector(".sheet").dataset.width = page.width;
      el.querySelector(".sheet").style.aspectRatio = `${page.width} / ${page.height}`;
      el.querySelector(".overlay").replaceChildren(...overlayOf(page));
    });
    pages.classList.toggle("stale", !view.status.current && view.pages.length > 0);
    applyZoom();
  }

  function drawThumbs(view) {
    $("thumbs").replaceChildren(...view.pages.map((page, i) => {
      const fill = share(page.used, page.lines);
      const over = oversetOf(page).length;
      return h("button", { class: `thumb${i === state.index ? " active" : ""}`, type: "button", onclick: () => go(i) },
        h("div", { class: "sheet-mini", style: { aspectRatio: `${page.width} / ${page.height}` } },
          h("img", { alt: "", src: page.svg, loading: "lazy" }), over ? h("span", { class: "bad" }, `超 ${over}`) : null),
        h("div", { class: "caption" }, h("span", {}, page.name), h("span", {}, `${fill}%`)),
        h("div", { class: `meter${fill < 90 ? " low" : ""}` }, h("span", { style: { width: `${Math.min(fill, 100)}%` } })));
    }));
  }

  // ---- The report ----

  function drawReport(view) {
    const frames = view.pages.flatMap((p) => p.frames);
    const overset = frames.filter((f) => f.overset);
    const holes = view.pages.reduce((n, p) => n + holeLines(p), 0);
    const marks = view.pages.flatMap((p) => p.marks);
    const stat = (value, label, bad) => h("div", { class: bad ? "bad" : "" }, h("b", {}, String(value)), h("small", {}, label));
    const sections = [
      h("h3", {}, "概况 Summary"),
      h("div", { class: "summary" }, stat(view.pages.length, "版 pages"), stat(overset.length, "超版 overset", overset.length),
        stat(holes, "空 holes", holes), stat(marks.length + view.warnings.length, "警告 warnings")),
      h("h3", {}, "版面 Pages"),
      pageTable(view),
      h("h3", {}, "稿件 Frames"),
      frameTable(view),
      h("h3", {}, "警告 Warnings"),
      warningList(view, marks),
    ];
    $("report").replaceChildren(...sections);
  }

  function pageTable(view) {
    return h("table", {},
      h("thead", {}, h("tr", {}, h("th", {}, "版"), h("th", {}, "版名"), h("th", { class: "num" }, "填充"),
        h("th", { class: "num" }, "空"), h("th", { class: "num" }, "警告"))),
      h("tbody", {}, view.pages.map((page, i) => h("tr", {
        class: `go${oversetOf(page).length ? " bad" : ""}`, onclick: () => go(i), title: `Go to ${page.name}`,
      }, h("td", {}, page.name), h("td", {}, page.section || "—"),
      h("td", { class: "num" }, `${share(page.used, page.lines)}%`), h("td", { class: "num" }, String(holeLines(page))),
      h("td", { class: "num" }, String(page.marks.length))))));
  }

  function frameTable(view) {
    const rows = view.pages.flatMap((page) => page.frames.map((frame) => h("tr", {
      class: `go${frame.overset ? " bad" : ""}`, onclick: () => reveal(frame.id), title: frame.title,
    }, h("td", {}, frame.article), h("td", {}, `${page.name} ${frame.part}/${frame.parts}`),
    h("td", { class: "num" }, `${frame.used}/${frame.lines}`),
    h("td", { class: "num" }, frame.overset
      ? h("span", { class: "chip bad" }, `差 ${frame.overset.lines} 行 / ${frame.overset.chars} 字`)
      : frame.free ? `空 ${frame.free}` : h("span", { class: "chip ok" }, "满")))));
    return h("table", { class: "parts" },
      h("thead", {}, h("tr", {}, h("th", {}, "稿件"), h("th", {}, "版 · 部分"), h("th", { class: "num" }, "行"),
        h("th", { class: "num" }, "余"))),
      h("tbody", {}, rows));
  }

  function warningList(view, marks) {
    if (!marks.length && !view.warnings.length) return h("p", { class: "empty" }, "None.");
    return h("ul", { class: "warnings" },
      marks.map((mark) => h("li", { class: "go", onclick: () => reveal(mark.id) }, mark.text)),
      view.warnings.map((text) => h("li", { class: "plain" }, text)));
  }

  // ---- Status and errors ----

  function drawStatus(view) {
    const { status } = view;
    const overset = view.pages.flatMap(oversetOf).length;
    const ms = `${Math.round(status.ms)} ms`;
    let kind = "ok";
    let text = `built in ${ms}`;
    if (!status.current && status.errors.length) [kind, text] = ["failed", `build failed after ${ms}`];
    else if (status.errors.length) [kind, text] = ["warn", `built in ${ms} · ${status.errors.length} errors`];
    else if (overset) [kind, text] = ["warn", `built in ${ms} · ${overset} overset`];
    setStatus(kind, text);
    $("issue").textContent = view.issue;
    const banner = $("banner");
    banner.hidden = status.errors.length === 0;
    banner.replaceChildren(
      h("h2", {}, status.current ? "The build found errors on these pages" : "构建失败 · The build failed; the last good pages stay on show"),
      h("ul", {}, status.errors.map((e) => h("li", {}, e))));
  }

  function setStatus(kind, text) {
    $("status").dataset.state = kind;
    $("status-text").textContent = text;
  }

  // ---- Drawing a view ----

  async function draw(view, received) {
    if (view.version < state.latest) return; // a newer view is on its way
    const fresh = !state.view || state.view.pages.length !== view.pages.length;
    if (!fresh) {
      const sheets = [...$("pages").querySelectorAll(".sheet > img")];
      await Promise.all(view.pages.map((page, i) => swapImage(sheets[i], page.svg)));
    }
    state.view = view;
    state.index = Math.min(state.index, Math.max(view.pages.length - 1, 0));
    drawPages(view, fresh);
    drawThumbs(view);
    drawReport(view);
    drawStatus(view);
    await nextFrame();
    window.proof.updated = { version: view.version, received, at: Date.now() };
    document.body.dataset.version = view.version;
  }

  function connect() {
    const socket = new WebSocket(`ws://${location.host}/live`);
    socket.onmessage = (event) => {
      window.proof.messages += 1;
      window.proof.bytes += new Blob([event.data]).size;
      const received = Date.now();
      const view = JSON.parse(event.data);
      state.latest = Math.max(state.latest, view.version);
      state.drawing = state.drawing.then(() => draw(view, received)).catch((e) => console.error(e));
    };
    socket.onclose = () => {
      setStatus("connecting", "disconnected — reconnecting…");
      setTimeout(connect, 1000);
    };
  }

  // ---- Navigation, zoom, toggles ----

  function go(i) {
    const pages = $("pages").children;
    if (!pages.length) return;
    state.index = Math.max(0, Math.min(i, pages.length - 1));
    pages[state.index].scrollIntoView({ block: "start" });
    markThumb();
  }

  function markThumb() {
    [...$("thumbs").children].forEach((t, i) => t.classList.toggle("active", i === state.index));
    $("thumbs").children[state.index]?.scrollIntoView({ block: "nearest" });
  }

  /** Scrolls to a frame or mark and makes it blink; turns the overlay on to show it. */
  function reveal(id) {
    const el = document.getElementById(id);
    if (!el) return;
    setOverlay(true);
    el.scrollIntoView({ block: "center" });
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  }

  function fitZoom() {
    const widest = Math.max(...(state.view?.pages ?? []).map((p) => p.width), 1);
    return Math.max(0.2, Math.min(3, ($("desk").clientWidth - 56) / (widest * PX_PER_PT)));
  }

  function applyZoom() {
    const zoom = state.zoom ?? fitZoom();
    for (const sheet of $("pages").querySelectorAll(".sheet")) {
      sheet.style.width = `${Number(sheet.dataset.width) * PX_PER_PT * zoom}px`;
    }
    $("zoom-level").textContent = `${Math.round(zoom * 100)}%`;
  }

  function zoomBy(factor) {
    state.zoom = Math.max(0.2, Math.min(6, (state.zoom ?? fitZoom()) * factor));
    applyZoom();
    go(state.index);
  }

  function setOverlay(on) {
    state.overlay = on;
    localStorage.setItem("banmian.overlay", on ? "on" : "off");
    document.body.classList.toggle("overlay-on", on);
    $("overlay-toggle").setAttribute("aria-pressed", String(on));
  }

  function setReport(on) {
    state.report = on;
    localStorage.setItem("banmian.report", on ? "on" : "off");
    $("report").hidden = !on;
    $("report-toggle").setAttribute("aria-pressed", String(on));
    applyZoom();
  }

  function onKey(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const actions = {
      j: () => go(state.index + 1), ArrowRight: () => go(state.index + 1), PageDown: () => go(state.index + 1),
      k: () => go(state.index - 1), ArrowLeft: () => go(state.index - 1), PageUp: () => go(state.index - 1),
      Home: () => go(0), End: () => go(Infinity),
      o: () => setOverlay(!state.overlay), r: () => setReport(!state.report),
      "+": () => zoomBy(1.2), "=": () => zoomBy(1.2), "-": () => zoomBy(1 / 1.2),
      0: () => { state.zoom = null; applyZoom(); },
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }

  /** Follows the page in view as the desk scrolls. */
  function onScroll() {
    const desk = $("desk");
    const line = desk.scrollTop + desk.clientHeight / 3;
    const pages = [...$("pages").children];
    const index = pages.reduce((found, page, i) => (page.offsetTop <= line ? i : found), 0);
    if (index !== state.index) {
      state.index = index;
      markThumb();
    }
  }

  $("overlay-toggle").addEventListener("click", () => setOverlay(!state.overlay));
  $("report-toggle").addEventListener("click", () => setReport(!state.report));
  $("zoom-in").addEventListener("click", () => zoomBy(1.2));
  $("zoom-out").addEventListener("click", () => zoomBy(1 / 1.2));
  $("zoom-fit").addEventListener("click", () => { state.zoom = null; applyZoom(); });
  $("desk").addEventListener("scroll", () => requestAnimationFrame(onScroll), { passive: true });
  document.addEventListener("keydown", onKey);
  window.addEventListener("resize", applyZoom);
  setOverlay(state.overlay);
  setReport(state.report);
  connect();
})();
