/*
 * PAR-index pages: large tables drawn from a compact payload (layouts/scoring/tables.py) in
 * plain DOM — a scorecard as Dash components would be thousands of nodes, which the
 * renderer takes tens of seconds to mount. Text only (textContent, never innerHTML); links
 * navigate inside the app as dcc.Link does; inputs carry data-field / data-code and the
 * entry page's "collect" reads them back when an action button is clicked.
 */
(function () {
    "use strict";

    function node(tag, className, text) {
        var e = document.createElement(tag);
        if (className) {
            e.className = className;
        }
        if (text !== undefined && text !== null && text !== "") {
            e.textContent = text;
        }
        return e;
    }

    function appLink(href, text) {
        var a = node("a", "", text);
        a.href = href;
        a.addEventListener("click", function (event) {
            if (event.metaKey || event.shiftKey || event.altKey || event.ctrlKey || event.button !== 0) {
                return;
            }
            event.preventDefault();
            window.history.pushState({}, "", href);
            window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
            window.scrollTo(0, 0);
        });
        return a;
    }

    function input(spec) {
        var e = node(spec.kind === "textarea" ? "textarea" : "input", "scoring-input " + (spec.className || ""));
        if (spec.kind === "textarea") {
            e.rows = 2;
        } else {
            e.type = "text";
        }
        e.value = spec.value || "";
        e.placeholder = spec.placeholder || "";
        if (spec.maxLength) {
            e.maxLength = spec.maxLength;
        }
        if (spec.field === "points") {
            e.inputMode = "decimal";
            e.autocomplete = "off";
        }
        if (spec.label) {
            e.setAttribute("aria-label", spec.label);
        }
        e.dataset.field = spec.field;
        e.dataset.code = spec.code;
        return e;
    }

    function cellElement(spec, tag) {
        var td = node(tag, spec.className);
        if (spec.title) {
            td.title = spec.title;
        }
        if (spec.href) {
            td.appendChild(appLink(spec.href, spec.text));
        } else if (spec.text) {
            td.appendChild(document.createTextNode(spec.text));
        }
        (spec.badges || []).forEach(function (b) {
            td.appendChild(document.createTextNode(" "));
            var span = node("span", b.className, b.text);
            if (b.title) {
                span.title = b.title;
            }
            td.appendChild(span);
        });
        (spec.lines || []).forEach(function (line) {
            var div = node("div", line.className);
            if (line.label) {
                div.appendChild(node("span", "tree-detail-label", line.label));
            }
            div.appendChild(document.createTextNode(line.text));
            td.appendChild(div);
        });
        if (spec.inputs && spec.inputs.length) {
            var box = node("div", "entry-inputs");
            spec.inputs.forEach(function (i) {
                box.appendChild(input(i));
            });
            td.appendChild(box);
        }
        if (spec.errors && spec.errors.length) {
            var errors = node("div", "entry-error");
            errors.setAttribute("role", "alert");
            spec.errors.forEach(function (text) {
                errors.appendChild(node("p", "", text));
            });
            td.appendChild(errors);
        }
        return td;
    }

    function buildTable(payload) {
        var table = node("table", payload.className);
        var headRow = node("tr");
        payload.columns.forEach(function (c) {
            var th = node("th", c.className, c.label);
            if (c.title) {
                th.title = c.title;
            }
            if (c.sub) {
                th.appendChild(node("br"));
                th.appendChild(node("span", "th-max", c.sub));
            }
            headRow.appendChild(th);
        });
        var head = node("thead");
        head.appendChild(headRow);
        var body = node("tbody");
        payload.rows.forEach(function (r) {
            var tr = node("tr", r.className);
            if (r.code) {
                tr.dataset.code = r.code;
            }
            r.cells.forEach(function (c) {
                tr.appendChild(cellElement(typeof c === "string" ? {text: c} : c, "td"));
            });
            body.appendChild(tr);
        });
        if (!payload.rows.length) {
            var empty = node("tr");
            var td = node("td", "empty", payload.empty);
            td.colSpan = payload.columns.length;
            empty.appendChild(td);
            body.appendChild(empty);
        }
        table.appendChild(head);
        table.appendChild(body);
        return table;
    }

    function drawInto(id, payload, attempt) {
        var box = document.getElementById(id);
        if (!box) {
            if (attempt < 50) {
                window.setTimeout(function () {
                    drawInto(id, payload, attempt + 1);
                }, 20);
            }
            return;
        }
        box.replaceChildren(payload ? buildTable(payload) : node("span"));
        box.dataset.drawn = String(Date.now());
    }

    /* Clientside callback: (payload, container id) -> the container's class name. */
    function drawTable(payload, id) {
        drawInto(id, payload, 0);
        return "scoring-scroll scoring-js-table drawn";
    }

    /* Clientside callback: an action button of the entry page -> {action, values, at}. */
    function collect() {
        var cc = window.dash_clientside.callback_context;
        var fired = cc && cc.triggered && cc.triggered[0];
        if (!fired || !fired.value) {
            return window.dash_clientside.no_update;
        }
        var propId = fired.prop_id;
        var action = JSON.parse(propId.slice(0, propId.lastIndexOf("."))).action;
        var values = [];
        document.querySelectorAll(".entry-table [data-field]").forEach(function (e) {
            values.push([e.dataset.field, e.dataset.code, e.value]);
        });
        return {action: action, values: values, at: Date.now()};
    }

    window.dash_clientside = Object.assign({}, window.dash_clientside);
    window.dash_clientside.scoring = Object.assign({}, window.dash_clientside.scoring, {
        drawTable: drawTable,
        collect: collect,
    });
})();
