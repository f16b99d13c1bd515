/*
 * Ranking tables drawn in the browser from compact rows (layouts/rankings.py:ranking_payload):
 * a metric or period change then sends about a hundred bytes per unit, not a component tree.
 * Row: [rank, name, value, received, overdue, link or null, row class]. Text only, no HTML.
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
        var rows = payload.rows.map(function (r) {
            var name = r[5] ? el("Link", {href: r[5], children: r[1]}, "dash_core_components") : r[1];
            return el("Tr", {
                className: r[6] || null,
                children: [
                    el("Td", {children: r[0], className: "num rank"}),
                    el("Td", {children: name, className: "name"}),
                    el("Td", {children: r[2], className: "num value"}),
                    el("Td", {children: r[3], className: "num"}),
                    el("Td", {children: r[4], className: "num"}),
                ],
            });
        });
        if (!rows.length) {
            rows.push(el("Tr", {children: el("Td", {children: payload.empty, colSpan: 5, className: "empty"})}));
        }
        return el("Table", {className: "ranking", children: [head, el("Tbody", {children: rows})]});
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.bando = Object.assign({}, window.dash_clientside.bando, {rankingTable: rankingTable});
})();
