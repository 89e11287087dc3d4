import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Qt.labs.settings
import Tickwire

ApplicationWindow {
    id: root
    objectName: "mainWindow"
    width: 1600
    height: 960
    minimumWidth: 1100
    minimumHeight: 680
    visible: true
    title: qsTr("Tickwire — %1").arg(Dashboard.market.selectedSymbol)
    color: Theme.bg
    palette.window: Theme.panel
    palette.windowText: Theme.text
    palette.base: Theme.panelAlt
    palette.text: Theme.text
    palette.button: Theme.panelAlt
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.placeholderText: Theme.textDim

    Settings {
        id: windowSettings
        category: "window"
        property alias x: root.x
        property alias y: root.y
        property alias width: root.width
        property alias height: root.height
        property var mainSplit
        property var centerSplit
        property var rightSplit
    }

    header: HeaderBar {
        onSearchRequested: search.open()
        onSettingsRequested: settings.open()
    }

    SplitView {
        id: mainSplit
        anchors.fill: parent
        orientation: Qt.Horizontal
        WatchlistPanel {
            SplitView.preferredWidth: 540
            SplitView.minimumWidth: 260
            onAddRequested: search.open()
            onAlertRequested: (symbol) => alertDialog.openFor(symbol, "")
        }
        SplitView {
            id: centerSplit
            orientation: Qt.Vertical
            SplitView.fillWidth: true
            SplitView.minimumWidth: 400
            ChartPanel {
                SplitView.fillHeight: true
                SplitView.minimumHeight: 240
                onAlertDialogRequested: (level) => alertDialog.openFor(Dashboard.market.selectedSymbol, level)
            }
            Blotter {
                SplitView.preferredHeight: 220
                SplitView.minimumHeight: 120
                onAlertDialogRequested: alertDialog.openFor(Dashboard.market.selectedSymbol, "")
            }
        }
        SplitView {
            id: rightSplit
            orientation: Qt.Vertical
            SplitView.preferredWidth: 330
            SplitView.minimumWidth: 260
            BookLadder {
                SplitView.fillHeight: true
                SplitView.minimumHeight: 200
                onPriceClicked: (price, side) => ticket.setPrice(price, side)
            }
            TradeTape {
                SplitView.preferredHeight: 150
                SplitView.minimumHeight: 80
            }
            OrderTicket {
                id: ticket
                SplitView.preferredHeight: 300
                SplitView.minimumHeight: 260
            }
        }
    }

    SymbolSearch {
        id: search
        onChosen: (symbol) => {
            if (Dashboard.watchlists.symbols(Dashboard.watchlists.currentIndex).indexOf(symbol) < 0) {
                const error = Dashboard.watchlists.addSymbol(Dashboard.watchlists.currentIndex, symbol)
                if (error !== "")
                    toasts.show("error", error)
            }
            Dashboard.market.selectedSymbol = symbol
        }
    }
    SettingsDialog { id: settings }
    AlertDialog { id: alertDialog }
    ShortcutSheet {}
    Toasts {
        id: toasts
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        anchors.bottomMargin: 24
        z: 10
    }

    Shortcut { sequences: Shortcuts.keys("search"); onActivated: search.open() }
    Shortcut { sequences: Shortcuts.keys("buy"); onActivated: ticket.focusSide("buy") }
    Shortcut { sequences: Shortcuts.keys("sell"); onActivated: ticket.focusSide("sell") }
    Shortcut { sequences: Shortcuts.keys("settings"); onActivated: settings.open() }
    Shortcut { sequences: Shortcuts.keys("newAlert"); onActivated: alertDialog.openFor(Dashboard.market.selectedSymbol, "") }

    Connections {
        target: Dashboard
        function onToast(kind, text, key) { toasts.show(kind, text, key) }
        function onOpenSettingsRequested() { settings.open() }
    }

    Component.onCompleted: {
        if (windowSettings.mainSplit) mainSplit.restoreState(windowSettings.mainSplit)
        if (windowSettings.centerSplit) centerSplit.restoreState(windowSettings.centerSplit)
        if (windowSettings.rightSplit) rightSplit.restoreState(windowSettings.rightSplit)
        Dashboard.attachWindow(root)
        Dashboard.start()
    }
    onClosing: {
        windowSettings.mainSplit = mainSplit.saveState()
        windowSettings.centerSplit = centerSplit.saveState()
        windowSettings.rightSplit = rightSplit.saveState()
    }
}
