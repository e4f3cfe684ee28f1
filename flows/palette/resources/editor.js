// What the classroom nodes' editor definitions share. Runs in the browser: every nodes/*.html
// loads it with <script src="resources/node-red-classroom-gateway/editor.js"> (Node-RED serves
// this folder there and loads it before that file's own scripts), so each file works alone, even
// with the others disabled in Manage palette. Loading it again only redefines the same functions.
(function () {
    /** An optional id filter: empty (any) or one id as the gateway's settings spell them. */
    var OPTIONAL_ID = /^([A-Za-z0-9_.:-]{1,64})?$/;

    function optionalId() {
        return { value: "", validate: RED.validators.regex(OPTIONAL_ID) };
    }

    /**
     * A setting chosen from `labels` (value → text in the dropdown): one list for the check and
     * for the <select id="node-input-<setting>"> that register() fills when the dialog opens.
     */
    function choice(labels, value) {
        return {
            value: value,
            choices: labels,
            validate: function (v) { return Object.prototype.hasOwnProperty.call(labels, v); }
        };
    }

    function fillChoices(node, defaults) {
        Object.keys(defaults).forEach(function (key) {
            var labels = defaults[key].choices;
            if (!labels) { return; }
            var select = $("#node-input-" + key).empty();
            Object.keys(labels).forEach(function (value) { $("<option>").val(value).text(labels[value]).appendTo(select); });
            // Node-RED set the value before the options existed.
            select.val(node[key]);
        });
    }

    /**
     * Fills <select id="node-input-device"> with this box's devices (GET classroom/devices, behind
     * the editor's login). A device the box does not have (a flow from another box) stays chosen,
     * marked as such, so opening and saving the node never changes it silently.
     * o.kind: only this kind; o.none: the text of the empty choice; o.note: an element for hints.
     */
    function fillDevices(node, o) {
        var select = $("#node-input-device");
        var note = $(o.note || []);
        function keep(text) {
            var present = select.find("option").filter(function () { return this.value === node.device; }).length > 0;
            if (node.device && !present) { $("<option>").val(node.device).text(text).appendTo(select); }
            select.val(node.device || "");
        }
        // Until the list arrives the current choice stays selected (saving early keeps it).
        keep(node.device);
        $.getJSON("classroom/devices" + (o.kind ? "?kind=" + encodeURIComponent(o.kind) : "")).done(function (list) {
            select.empty();
            $("<option>").val("").text(o.none).appendTo(select);
            list.forEach(function (d) {
                var about = [o.kind ? null : d.kind, d.transport === "simulated" ? "simulated" : null, d.state].filter(Boolean).join(", ");
                $("<option>").val(d.id).text(d.id + " (" + about + ")").appendTo(select);
            });
            keep(node.device + " (not on this box)");
            note.text(list.length ? "" : "This box has no " + (o.kind || "device") + " in its settings (devices).");
        }).fail(function () {
            keep(node.device);
            note.text("Could not read the box's devices; is this the classroom gateway's editor?");
        });
    }

    /**
     * RED.nodes.registerType with what every classroom node has: the category, colour, a name,
     * one output and no input unless said, and the dropdowns of choice() settings filled.
     */
    function register(type, definition) {
        var defaults = $.extend({ name: { value: "" } }, definition.defaults);
        var prepare = definition.oneditprepare;
        RED.nodes.registerType(type, $.extend({ category: "classroom", color: "#A3DDD3", inputs: 0, outputs: 1 }, definition, {
            defaults: defaults,
            oneditprepare: function () {
                fillChoices(this, defaults);
                if (prepare) { prepare.call(this); }
            }
        }));
    }

    window.ClassroomPalette = { register: register, choice: choice, optionalId: optionalId, fillDevices: fillDevices };
})();
