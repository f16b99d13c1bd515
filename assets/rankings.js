/*
 * Ranking tables drawn in the browser from compact rows (layouts/common/rankings.py:ranking_payload):
 * a metric or period change then sends about a hundred bytes per unit, not a component tree.
 * Row: [rank, name, value, ...the metric's extra cells, link or null, row class] — one cell per
 * entry of payload.columns, then the link and the class, and optionally the links of the value
 * and extra cells (the list of dossiers behind a count; null for a cell that is no count).
 * Text only, no HTML.
 */
(function () {
    "use strict";

    function el(type, props, namespace) {
        return {type: type, namespace: namespace || "dash_html_components", props: props};
    }

    function rankingTable(payload) {
        if (!payload) {
            return null;
        }
        var head = el("Thead", {
            children: el("Tr", {
                children: payload.columns.map(function (label, i) {
                    return el("Th", {children: label, className: i === 1 ? "" : "num"});
                }),
            }),
        });
        var width = payload.columns.length;
        var rows = payload.rows.map(function (r) {
            var link = r[width], rowClass = r[width + 1], cellLinks = r[width + 2] || [];
            var name = link ? el("Link", {href: link, children: r[1]}, "dash_core_components") : r[1];
            function count(i) {
                var href = cellLinks[i - 2];
                if (!href) {
                    return r[i];
                }
                return el("Link", {
                    href: href, children: r[i], className: "drill-link", title: "Xem danh sách hồ sơ"
                }, "dash_core_components");
            }
            var cells = [
                el("Td", {children: r[0], className: "num rank"}),
                el("Td", {children: name, className: "name"}),
                el("Td", {children: count(2), className: "num value"}),
            ];
            for (var i = 3; i < width; i++) {
                cells.push(el("Td", {children: count(i), className: "num"}));
            }
            return el("Tr", {className: rowClass || null, children: cells});
        });
        if (!rows.length) {
            rows.push(el("Tr", {children: el("Td", {children: payload.empty, colSpan: width, className: "empty"})}));
        }
        return el("Table", {className: "ranking", children: [head, el("Tbody", {children: rows})]});
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.bando = Object.assign({}, window.dash_clientside.bando, {rankingTable: rankingTable});
})();
