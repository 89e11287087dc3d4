pragma Singleton
import QtQuick

// Every keyboard shortcut of the dashboard, in one place: each `Shortcut` item takes its
// sequences from here (keys(name)) and the shortcuts sheet (ShortcutSheet, ? or F1) lists this
// same table, so neither can drift from the other (tst_shortcuts checks every Shortcut item of
// the loaded window against it).
// An entry: name (what keys() looks up), keys (sequences in QKeySequence's portable text),
// also (more sequences bound but not shown: ? typed with Shift, which only some platforms' key
// maps match to "?"), group and text (shown by the sheet), and global: true when a window-wide Shortcut item uses
// it, false for the keys a focused control handles itself (Enter in the ticket, Delete in the
// watchlist…).
QtObject {
    readonly property var groups: [qsTr("General"), qsTr("Chart"), qsTr("Order book"), qsTr("Ticket"),
        qsTr("Watchlists"), qsTr("Alerts"), qsTr("Workspaces")]
    readonly property var entries: [
        { name: "sheet", keys: ["?", "F1"], also: ["Shift+?"], group: 0, global: true, text: qsTr("Show this list of shortcuts") },
        { name: "search", keys: ["Ctrl+K"], group: 0, global: true, text: qsTr("Search symbols") },
        { name: "settings", keys: ["Ctrl+,"], group: 0, global: true, text: qsTr("Settings") },
        { name: "close", keys: ["Esc"], group: 0, global: false, text: qsTr("Close a dialog, menu or this list") },
        { name: "indicators", keys: ["Ctrl+I"], group: 1, global: true, text: qsTr("Open or close the indicators menu") },
        { name: "indicatorFields", keys: ["Tab", "Up", "Down", "Space"], group: 1, global: false,
          text: qsTr("Indicators menu: move between fields and buttons, step a parameter, press a button") },
        { name: "depth", keys: ["Ctrl+D"], group: 1, global: true, text: qsTr("Switch between candles and depth") },
        { name: "groupCoarser", keys: ["Ctrl+]"], group: 2, global: true, text: qsTr("Group the book coarser") },
        { name: "groupFiner", keys: ["Ctrl+["], group: 2, global: true, text: qsTr("Group the book finer") },
        { name: "buy", keys: ["Ctrl+B"], group: 3, global: true, text: qsTr("Buy: focus the ticket's quantity") },
        { name: "sell", keys: ["Ctrl+S"], group: 3, global: true, text: qsTr("Sell: focus the ticket's quantity") },
        { name: "send", keys: ["Return"], group: 3, global: false, text: qsTr("Send the order (in a ticket field)") },
        { name: "step", keys: ["Up", "Down"], group: 3, global: false, text: qsTr("Step the price one tick or the quantity one lot") },
        { name: "stepTen", keys: ["PgUp", "PgDown"], group: 3, global: false, text: qsTr("Step ten ticks or lots") },
        { name: "chartSymbol", keys: ["Return"], group: 4, global: false, text: qsTr("Chart the selected symbol") },
        { name: "removeSymbol", keys: ["Del"], group: 4, global: false, text: qsTr("Remove the selected symbol from the watchlist") },
        { name: "newAlert", keys: ["Alt+A"], group: 5, global: true, text: qsTr("New alert for the charted symbol") },
        { name: "alertList", keys: ["Alt+L"], group: 5, global: true, text: qsTr("Show the alerts and focus their list") },
        { name: "alertMove", keys: ["Up", "Down"], group: 5, global: false, text: qsTr("Alerts list: select an alert") },
        { name: "alertToggle", keys: ["Space"], group: 5, global: false, text: qsTr("Alerts list: enable or disable the alert") },
        { name: "alertDelete", keys: ["Del"], group: 5, global: false, text: qsTr("Alerts list: delete the alert") },
        { name: "workspaceMenu", keys: ["Ctrl+Shift+W"], group: 6, global: true, text: qsTr("Open the workspaces menu") },
        { name: "switchWorkspace", keys: ["Ctrl+1", "Ctrl+2", "Ctrl+3", "Ctrl+4", "Ctrl+5", "Ctrl+6", "Ctrl+7", "Ctrl+8", "Ctrl+9"],
          group: 6, global: true, text: qsTr("Switch to the first nine workspaces") },
        { name: "secondChart", keys: ["Ctrl+Shift+C"], group: 6, global: true, text: qsTr("Show or hide the second chart") }
    ]

    // A key as a trader reads it on the keyboard (the sheet and docs/dashboard.md show these).
    function keyText(key: string): string {
        switch (key) {
        case "Return": return qsTr("Enter")
        case "Esc": return qsTr("Esc")
        case "Del": return qsTr("Delete")
        case "PgUp": return qsTr("Page Up")
        case "PgDown": return qsTr("Page Down")
        case "Space": return qsTr("Space")
        case "Up": return "↑"
        case "Down": return "↓"
        default: return key
        }
    }

    // The sequences of the named entry, for a Shortcut's `sequences`.
    function keys(name: string): var {
        for (const entry of entries) {
            if (entry.name === name)
                return entry.also ? entry.keys.concat(entry.also) : entry.keys
        }
        console.warn("Shortcuts: no entry", name)
        return []
    }
}
