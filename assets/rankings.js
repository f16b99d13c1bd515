/*
 * Ranking tables drawn in the browser from compact rows (layouts/common/rankings.py:ranking_payload):
 * a metric or period change then sends about a hundred bytes per unit, not a component tree.
 * Row: [rank, name, value, ...the metric's extra cells, link or null, row class] — one cell per
 * entry of payload.columns, then the link and the class, and optionally the links of the value
 * and extra cells (the list of dossiers behind a count; null for a cell that is no count).
 * Text only, no HTML.
 *
 * The table is plain DOM inside its (childless) container, not Dash components: a ranking of
 * the city's 94 communes is ~700 cells, and every Dash component re-checks the renderer's
 * store on each update of any output, which made every click on the map wait for them
 * (issue 15). Its links navigate inside the page as dcc.Link does (history.pushState and the
 * event dcc.Location listens to), so a unit's link is one callback, not a page load.
 */
(function () {
    "use strict";

    function cell(tag, text, className) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== null && text !== undefined) {
            node.appendChild(typeof text === "string" ? document.createTextNode(text) : text);
        }
        return node;
    }

    function link(href, text, className, title) {
        var clean = window.dash_clientside.clean_url ? window.dash_clientside.clean_url(href) : href;
        if (clean !== href) {
            return document.createTextNode(text);  // a dangerous link (javascript:…) is shown as text
        }
        var a = cell("a", text, className);
        a.setAttribute("href", href);
        if (title) {
            a.title = title;
        }
        return a;
    }

    function table(payload) {
        var width = payload.columns.length;
        var head = document.createElement("tr");
        payload.columns.forEach(function (label, i) {
            head.appendChild(cell("th", label, i === 1 ? "" : "num"));
        });
        var body = document.createElement("tbody");
        payload.rows.forEach(function (r) {
            var href = r[width], rowClass = r[width + 1], cellLinks = r[width + 2] || [];
            function count(i) {
                var target = cellLinks[i - 2];
                return target ? link(target, r[i], "drill-link", "Xem danh sách hồ sơ") : r[i];
            }
            var row = document.createElement("tr");
            if (rowClass) {
                row.className = rowClass;
            }
            row.appendChild(cell("td", r[0], "num rank"));
            row.appendChild(cell("td", href ? link(href, r[1]) : r[1], "name"));
            row.appendChild(cell("td", count(2), "num value"));
            for (var i = 3; i < width; i++) {
                row.appendChild(cell("td", count(i), "num"));
            }
            body.appendChild(row);
        });
        if (!payload.rows.length) {
            var empty = cell("td", payload.empty, "empty");
            empty.colSpan = width;
            body.appendChild(cell("tr", empty));
        }
        var thead = document.createElement("thead");
        thead.appendChild(head);
        var node = cell("table", null, "ranking");
        node.appendChild(thead);
        node.appendChild(body);
        return node;
    }

    // A click on a link of the table: inside the page, as dcc.Link (modifier keys: the browser's own).
    function navigate(event) {
        var a = event.target.closest && event.target.closest("a[href]");
        if (!a || event.defaultPrevented || event.button !== 0) {
            return;
        }
        if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey) {
            return;
        }
        event.preventDefault();
        window.history.pushState({}, "", a.getAttribute("href"));
        window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
        window.scrollTo(0, 0);
    }

    function drawRanking(containerId, payload) {
        var container = document.getElementById(containerId);
        if (container) {
            if (!container.__rankingLinks) {
                container.addEventListener("click", navigate);
                container.__rankingLinks = true;
            }
            container.replaceChildren.apply(container, payload ? [table(payload)] : []);
        }
        return window.dash_clientside.no_update;
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.bando = Object.assign({}, window.dash_clientside.bando, {drawRanking: drawRanking});
})();
