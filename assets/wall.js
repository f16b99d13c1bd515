/*
 * Wall display (/wall): scene rotation, keyboard, nightly reload, PNG export.
 * Inert on every other page (it acts only while an element #wall is in the page).
 *
 * Rotation: every scene is in the page once; showing one is a class change, nothing is
 * added, so the page does not grow however many scenes go by. One timer ticks every 250 ms.
 * Keyboard: → next scene, ← previous, space pause / resume, P saves a PNG of the scene.
 * Nightly reload at data-reload-at (HH:MM, local), only when data-health-url (/wall/health
 * under the app's URL prefix) answers.
 * PNG: the scene as on screen (header, scene, footer) at screen resolution × devicePixelRatio:
 * plotly figures through Plotly.toImage, boxes and text painted from their computed styles.
 */
(function () {
    "use strict";

    var TICK_MS = 250;
    var HISTORY = 50;
    var state = {
        root: null, scenes: [], dots: [], index: 0, paused: false, seconds: 20,
        shownAt: 0, changes: 0, history: [], reloadAt: "", reloadTried: "", retryAt: 0, size: ""
    };

    function wallRoot() {
        return document.getElementById("wall");
    }

    function setup(root) {
        state.root = root;
        state.scenes = Array.prototype.slice.call(root.querySelectorAll(".wall-scene"));
        state.dots = Array.prototype.slice.call(root.querySelectorAll(".wall-dot"));
        state.bar = root.querySelector(".wall-progress-bar");
        state.pausedLabel = root.querySelector(".wall-paused");
        state.seconds = parseFloat(root.getAttribute("data-seconds")) || 20;
        state.reloadAt = root.getAttribute("data-reload-at") || "";
        state.healthUrl = root.getAttribute("data-health-url") || "wall/health";
        state.paused = false;
        state.filled = false;
        state.retryAt = performance.now() + 1000 * (parseFloat(root.getAttribute("data-retry")) || 30);
        if (state.scenes.length) {
            show(0);
        }
    }

    function show(i) {
        var n = state.scenes.length;
        if (!n) {
            return;
        }
        state.index = ((i % n) + n) % n;
        state.scenes.forEach(function (s, k) { s.classList.toggle("active", k === state.index); });
        state.dots.forEach(function (d, k) { d.classList.toggle("active", k === state.index); });
        state.shownAt = performance.now();
        state.changes += 1;
        state.history.push([Date.now(), state.scenes[state.index].getAttribute("data-scene")]);
        if (state.history.length > HISTORY) {
            state.history.splice(0, state.history.length - HISTORY);
        }
        restartProgress();
    }

    function restartProgress() {
        var bar = state.bar;
        if (!bar) {
            return;
        }
        bar.style.animation = "none";
        void bar.offsetWidth;  // restart the CSS animation
        bar.style.animation = "wall-progress " + state.seconds + "s linear forwards";
        bar.style.animationPlayState = state.paused ? "paused" : "running";
    }

    function setPaused(paused) {
        state.paused = paused;
        if (state.pausedLabel) {
            state.pausedLabel.textContent = paused ? "❚❚ Tạm dừng — nhấn phím cách để chạy tiếp" : "";
        }
        if (state.bar) {
            state.bar.style.animationPlayState = paused ? "paused" : "running";
        }
        if (!paused) {
            // resume where the scene was: keep the time already shown
            state.shownAt = performance.now() - (state.pausedElapsed || 0);
        } else {
            state.pausedElapsed = performance.now() - state.shownAt;
        }
    }

    function hhmm(d) {
        return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
    }

    function nightlyReload() {
        if (!state.reloadAt) {
            return;
        }
        var now = new Date();
        var today = now.toDateString();
        if (hhmm(now) !== state.reloadAt || state.reloadTried === today) {
            return;
        }
        state.reloadTried = today;
        try {
            if (window.sessionStorage.getItem("wall-reloaded") === today) {
                return;  // this page is the reload
            }
        } catch (e) { /* storage off: the minute check above still guards */ }
        fetch(state.healthUrl, {cache: "no-store"}).then(function (r) {
            if (r.ok) {
                try { window.sessionStorage.setItem("wall-reloaded", today); } catch (e) { /* ignore */ }
                window.location.reload();
            }
        }).catch(function () { /* server away: try again tomorrow, the wall keeps running */ });
    }

    function reportSize() {
        var size = window.innerWidth + "x" + window.innerHeight;
        if (size === state.size) {
            return;
        }
        var first = state.size === "";
        state.size = size;
        if (!first && window.dash_clientside && window.dash_clientside.set_props) {
            window.dash_clientside.set_props("wall-screen", {data: screenSize()});
        }
    }

    function tick() {
        var root = wallRoot();
        if (!root) {
            state.root = null;
            return;
        }
        if (root !== state.root || root.querySelectorAll(".wall-scene").length !== state.scenes.length) {
            setup(root);
        }
        if (root.classList.contains("wall-unavailable")) {
            if (performance.now() >= state.retryAt) {
                state.retryAt = Infinity;
                window.location.reload();
            }
            return;
        }
        if (!state.filled) {
            // the first scene gets its whole time once the data are on screen, figures drawn
            var dataTime = root.querySelector(".wall-data-time");
            var graphs = root.querySelectorAll(".wall-graph");
            var drawn = Array.prototype.filter.call(graphs, function (g) {
                return g.querySelector(".choroplethlocation, .trace");
            });
            state.filled = !!(dataTime && dataTime.textContent) && drawn.length === graphs.length;
            state.shownAt = performance.now();
            if (state.filled) {
                restartProgress();
            }
        }
        if (state.filled && !state.paused && state.scenes.length > 1 &&
                performance.now() - state.shownAt >= state.seconds * 1000) {
            show(state.index + 1);
        }
        reportSize();
        nightlyReload();
    }

    function onKey(event) {
        if (!wallRoot() || event.altKey || event.ctrlKey || event.metaKey) {
            return;
        }
        if (event.key === "ArrowRight" || event.key === "PageDown") {
            show(state.index + 1);
        } else if (event.key === "ArrowLeft" || event.key === "PageUp") {
            show(state.index - 1);
        } else if (event.key === " " || event.key === "Spacebar") {
            setPaused(!state.paused);
        } else if (event.key === "p" || event.key === "P") {
            exportPng();
        } else {
            return;
        }
        event.preventDefault();
    }

    function screenSize() {
        return {h: window.innerHeight, w: window.innerWidth, dpr: window.devicePixelRatio || 1};
    }

    // ------------------------------------------------------------ PNG of the scene

    function visible(cs) {
        return cs.display !== "none" && cs.visibility !== "hidden" && parseFloat(cs.opacity) > 0;
    }

    function transparent(colour) {
        return !colour || colour === "transparent" || /rgba\(.*,\s*0\)$/.test(colour);
    }

    function paintBox(ctx, el) {
        var cs = getComputedStyle(el);
        if (!visible(cs)) {
            return;
        }
        var r = el.getBoundingClientRect();
        if (!r.width || !r.height) {
            return;
        }
        if (!transparent(cs.backgroundColor)) {
            ctx.fillStyle = cs.backgroundColor;
            ctx.beginPath();
            var radius = Math.min(parseFloat(cs.borderTopLeftRadius) || 0, r.height / 2, r.width / 2);
            if (ctx.roundRect) {
                ctx.roundRect(r.left, r.top, r.width, r.height, radius);
            } else {
                ctx.rect(r.left, r.top, r.width, r.height);
            }
            ctx.fill();
        }
        [["Top", r.left, r.top, r.right, r.top], ["Bottom", r.left, r.bottom, r.right, r.bottom],
         ["Left", r.left, r.top, r.left, r.bottom], ["Right", r.right, r.top, r.right, r.bottom]].forEach(function (b) {
            var w = parseFloat(cs["border" + b[0] + "Width"]);
            if (w > 0 && cs["border" + b[0] + "Style"] !== "none" && !transparent(cs["border" + b[0] + "Color"])) {
                ctx.strokeStyle = cs["border" + b[0] + "Color"];
                ctx.lineWidth = w;
                ctx.beginPath();
                ctx.moveTo(b[1], b[2]);
                ctx.lineTo(b[3], b[4]);
                ctx.stroke();
            }
        });
    }

    function paintText(ctx, node) {
        var el = node.parentElement;
        var text = node.textContent;
        if (el && getComputedStyle(el).textTransform === "uppercase") {
            text = text.toUpperCase();
        }
        if (!el || !text.trim()) {
            return;
        }
        var cs = getComputedStyle(el);
        if (!visible(cs)) {
            return;
        }
        ctx.font = cs.fontStyle + " " + cs.fontWeight + " " + cs.fontSize + " " + cs.fontFamily;
        ctx.fillStyle = cs.color;
        ctx.textBaseline = "alphabetic";
        var range = document.createRange();
        var lines = [];
        var line = null;
        for (var i = 0; i < text.length; i++) {
            range.setStart(node, i);
            range.setEnd(node, i + 1);
            var rects = range.getClientRects();
            if (!rects.length) {
                continue;
            }
            var rr = rects[0];
            if (!line || Math.abs(rr.top - line.top) > 2) {
                line = {top: rr.top, left: rr.left, height: rr.height, text: ""};
                lines.push(line);
            }
            line.text += text[i];
        }
        var box = el.getBoundingClientRect();
        ctx.save();
        ctx.beginPath();
        ctx.rect(box.left, box.top, box.width, box.height);
        ctx.clip();
        lines.forEach(function (l) {
            var m = ctx.measureText(l.text);
            var ascent = m.fontBoundingBoxAscent || parseFloat(cs.fontSize) * 0.8;
            var descent = m.fontBoundingBoxDescent || parseFloat(cs.fontSize) * 0.2;
            ctx.fillText(l.text.replace(/\s+$/, ""), l.left, l.top + (l.height - ascent - descent) / 2 + ascent);
        });
        ctx.restore();
    }

    function loadImage(url) {
        return new Promise(function (resolve, reject) {
            var img = new Image();
            img.onload = function () { resolve(img); };
            img.onerror = reject;
            img.src = url;
        });
    }

    function eachOutsidePlots(part, fn) {
        var walker = document.createTreeWalker(part, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
            acceptNode: function (n) {
                if (n.nodeType === 1 && n.classList.contains("js-plotly-plot")) {
                    return NodeFilter.FILTER_REJECT;
                }
                return NodeFilter.FILTER_ACCEPT;
            }
        });
        fn(part);
        for (var n = walker.nextNode(); n; n = walker.nextNode()) {
            fn(n);
        }
    }

    function scenePng() {
        var root = wallRoot();
        var scene = state.scenes[state.index];
        if (!root || !scene) {
            return Promise.reject(new Error("no wall scene"));
        }
        var W = window.innerWidth, H = window.innerHeight, dpr = window.devicePixelRatio || 1;
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(W * dpr);
        canvas.height = Math.round(H * dpr);
        var ctx = canvas.getContext("2d");
        ctx.scale(dpr, dpr);
        ctx.fillStyle = getComputedStyle(root).backgroundColor;
        ctx.fillRect(0, 0, W, H);
        var parts = [root.querySelector(".wall-top"), scene, root.querySelector(".wall-foot"),
                     root.querySelector(".wall-notice")].filter(Boolean);
        parts.forEach(function (p) {
            eachOutsidePlots(p, function (n) { if (n.nodeType === 1) { paintBox(ctx, n); } });
        });
        var plots = Array.prototype.slice.call(scene.querySelectorAll(".js-plotly-plot"));
        return Promise.all(plots.map(function (gd) {
            var r = gd.getBoundingClientRect();
            return window.Plotly.toImage(gd, {format: "png", width: Math.round(r.width), height: Math.round(r.height), scale: dpr})
                .then(loadImage)
                .then(function (img) { return [img, r]; });
        })).then(function (images) {
            images.forEach(function (ir) { ctx.drawImage(ir[0], ir[1].left, ir[1].top, ir[1].width, ir[1].height); });
            parts.forEach(function (p) {
                eachOutsidePlots(p, function (n) { if (n.nodeType === 3) { paintText(ctx, n); } });
            });
            return canvas.toDataURL("image/png");
        });
    }

    function exportPng() {
        var scene = state.scenes[state.index];
        return scenePng().then(function (url) {
            var a = document.createElement("a");
            var day = new Date().toISOString().slice(0, 10);
            a.href = url;
            a.download = "man-hinh-" + (scene ? scene.getAttribute("data-scene") : "canh") + "-" + day + ".png";
            a.click();
            return url.length;
        });
    }

    setInterval(tick, TICK_MS);
    document.addEventListener("keydown", onKey);

    window.bandoWall = {
        state: state,
        next: function () { show(state.index + 1); },
        previous: function () { show(state.index - 1); },
        togglePause: function () { setPaused(!state.paused); },
        scenePng: scenePng,
        exportPng: exportPng
    };
    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.wall = Object.assign({}, window.dash_clientside.wall, {
        screen: function () {
            state.size = window.innerWidth + "x" + window.innerHeight;
            return screenSize();
        }
    });
})();
