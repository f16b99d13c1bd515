/*
 * Detail tabs under the map (callbacks/home/details.py): pass on real clicks only.
 *
 * The overdue table's header buttons and pager are redrawn with every page; Dash then calls
 * the callbacks of the new buttons once although nobody clicked. This function stands
 * between the buttons and the server: a redrawn button (n_clicks empty) changes nothing
 * and sends nothing; a click becomes {action, key, at} in a store the server listens to.
 */
(function () {
    "use strict";

    window.dash_clientside = window.dash_clientside || {};
    window.dash_clientside.details = {
        overdueClick: function () {
            var context = window.dash_clientside.callback_context;
            var triggered = context.triggered || [];
            var id = context.triggered_id;
            if (!triggered.length || !triggered[0].value || !id) {
                return window.dash_clientside.no_update;
            }
            if (typeof id === "object") {
                return {action: "sort", key: id.key, at: Date.now()};
            }
            return {action: id === "details-overdue-prev" ? "prev" : "next", key: null, at: Date.now()};
        },
    };
})();
