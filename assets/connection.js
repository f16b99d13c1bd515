/*
 * Data connection badge of every page but the wall (which has its own).
 *
 * The server stamps every callback response that read the database with
 * X-Bando-Data-Time: hh:mm (callbacks/common/connection.py) and answers a callback the
 * database failed with 503 + X-Bando-Outage (callbacks/common/errors.py). Dash leaves the
 * outputs of a failed callback as they are, so the page keeps what it shows — a form being
 * typed included; this script only puts up "mất kết nối dữ liệu — số liệu lúc hh:mm"
 * (hh:mm: the last answer that reached the data) with the server's notice for the failed
 * action ("Chưa lưu được …"), and takes the badge down at the next answer that reached the
 * data (the page's poll, every 15 s). A notice stays until that same action succeeds.
 * A page that could not start (an element with data-retry-seconds) reloads itself after
 * that many seconds. A page whose whole state is in its URL (data-resync="reload": the map)
 * reloads once the data answer again if an action failed meanwhile, so that its controls
 * and what they show agree again.
 */
(function () {
    "use strict";

    var CALLBACK = "_dash-update-component";
    var DATA_TIME = "X-Bando-Data-Time";
    var OUTAGE = "X-Bando-Outage";
    var DOWN = "mất kết nối dữ liệu";
    var ACTION_FAILED = "Thao tác vừa rồi chưa thực hiện được; trang giữ nguyên nội dung — thử lại khi có kết nối.";
    // notices: the server's word on a failed action, until that action works;
    // actionNotice: an action failed without one, until the data answer again
    var state = {time: null, down: false, notices: {}, actionNotice: false, retryAt: null};

    function onWall() {
        return !!document.getElementById("wall");
    }

    function box() {
        var el = document.getElementById("data-link-badge");
        if (!el) {
            el = document.createElement("div");
            el.id = "data-link-badge";
            el.className = "data-link-badge";
            el.setAttribute("role", "status");
            el.setAttribute("aria-live", "polite");
            document.body.appendChild(el);
        }
        return el;
    }

    function draw() {
        if (onWall()) {
            return;
        }
        var notices = Object.keys(state.notices).map(function (k) { return state.notices[k]; });
        if (state.actionNotice && !notices.length) {
            notices.push(ACTION_FAILED);
        }
        var el = box();
        el.textContent = "";
        if (state.down) {
            var line = document.createElement("div");
            line.className = "data-link-state";
            line.textContent = DOWN + " — " + (state.time ? "số liệu lúc " + state.time : "chưa có số liệu");
            el.appendChild(line);
        }
        notices.forEach(function (text) {
            var p = document.createElement("div");
            p.className = "data-link-notice";
            p.textContent = text;
            el.appendChild(p);
        });
        el.className = "data-link-badge" + (state.down || notices.length ? " on" : "");
    }

    function requestOf(init) {
        // {output, byUser}: byUser when a person's action (not a timer) fired the callback
        try {
            var body = JSON.parse(init && init.body);
            var changed = body.changedPropIds || [];
            var timer = changed.some(function (p) { return /\.n_intervals$/.test(p); });
            return {output: body.output || "", byUser: changed.length > 0 && !timer};
        } catch (e) {
            return {output: "", byUser: false};
        }
    }

    function seen(response, req) {
        if (response.status === 503 || response.headers.get(OUTAGE)) {
            state.down = true;
            state.actionNotice = state.actionNotice || req.byUser;
            response.clone().text().then(function (text) {
                if (text && text !== DOWN && req.output) {
                    state.notices[req.output] = text;
                }
                draw();
            });
            draw();
            return;
        }
        if (response.ok) {
            delete state.notices[req.output];
            var time = response.headers.get(DATA_TIME);
            if (time) {
                if (state.actionNotice && document.querySelector("[data-resync=reload]")) {
                    window.location.reload();
                    return;
                }
                state.time = time;
                state.down = false;
                state.actionNotice = false;
            }
            draw();
        }
    }

    var original = window.fetch;
    window.fetch = function (input, init) {
        var url = typeof input === "string" ? input : (input && input.url) || "";
        var pending = original.apply(this, arguments);
        if (url.indexOf(CALLBACK) < 0) {
            return pending;
        }
        var req = requestOf(init);
        return pending.then(function (response) {
            seen(response, req);
            return response;
        }, function (error) {
            state.down = true;  // the server itself did not answer
            draw();
            throw error;
        });
    };

    setInterval(function () {
        var retry = document.querySelector("[data-retry-seconds]");
        if (!retry || onWall()) {
            state.retryAt = null;
            return;
        }
        if (state.retryAt === null) {
            state.retryAt = Date.now() + 1000 * Number(retry.getAttribute("data-retry-seconds") || 30);
        } else if (Date.now() >= state.retryAt) {
            state.retryAt = Infinity;
            window.location.reload();
        }
    }, 1000);
}());
