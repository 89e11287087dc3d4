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
    }

    // The current workspace (Dashboard.workspaces) keeps the split sizes and each chart's style,
    // tab and indicators; the selection and the charts' symbols and intervals it keeps in C++.
    // Recorded once applied; applied at start and on every switch.
    property bool workspaceApplied: false
    function applyWorkspace() {
        root.workspaceApplied = false
        const splits = [mainSplit, centerSplit, rightSplit, chartSplit]
        for (const split of splits) {
            if (Dashboard.workspaces.hasSplitState(split.objectName))
                split.restoreState(Dashboard.workspaces.splitState(split.objectName))
        }
        mainChart.applyDisplay(Dashboard.workspaces.chartDisplay("main"))
        secondChart.applyDisplay(Dashboard.workspaces.chartDisplay("second"))
        root.workspaceApplied = true
    }
    function recordSplit(split: SplitView) {
        if (root.workspaceApplied && !split.resizing)
            Dashboard.workspaces.setSplitState(split.objectName, split.saveState())
    }
    Connections {
        target: Dashboard.workspaces
        function onCurrentWorkspaceChanged() { root.applyWorkspace() }
    }

    header: HeaderBar {
        onSearchRequested: search.open()
        onSettingsRequested: settings.open()
        onWorkspaceMessage: (text) => toasts.show("error", text, "")
    }

    SplitView {
        id: mainSplit
        objectName: "mainSplit"
        anchors.fill: parent
        onResizingChanged: root.recordSplit(mainSplit)
        orientation: Qt.Horizontal
        WatchlistPanel {
            SplitView.preferredWidth: 540
            SplitView.minimumWidth: 260
            onAddRequested: search.open()
            onAlertRequested: (symbol) => alertDialog.openFor(symbol, "")
        }
        SplitView {
            id: centerSplit
            objectName: "centerSplit"
            onResizingChanged: root.recordSplit(centerSplit)
            orientation: Qt.Vertical
            SplitView.fillWidth: true
            SplitView.minimumWidth: 400
            // The main chart and, when the workspace shows it, a second one beside it.
            SplitView {
                id: chartSplit
                objectName: "chartSplit"
                orientation: Qt.Horizontal
                SplitView.fillHeight: true
                SplitView.minimumHeight: 240
                onResizingChanged: root.recordSplit(chartSplit)
                ChartPanel {
                    id: mainChart
                    objectName: "mainChart"
                    restoreIndicators: false
                    SplitView.fillWidth: true
                    SplitView.minimumWidth: 300
                    onAlertDialogRequested: (level) => alertDialog.openFor(Dashboard.market.selectedSymbol, level)
                    onDisplayChanged: if (root.workspaceApplied) Dashboard.workspaces.setChartDisplay("main", display)
                }
                ChartPanel {
                    id: secondChart
                    objectName: "secondChart"
                    chartId: "second"
                    restoreIndicators: false
                    visible: Dashboard.market.secondChart
                    SplitView.preferredWidth: chartSplit.width / 2
                    SplitView.minimumWidth: 300
                    onAlertDialogRequested: (level) => alertDialog.openFor(Dashboard.market.secondSymbol, level)
                    onDisplayChanged: if (root.workspaceApplied) Dashboard.workspaces.setChartDisplay("second", display)
                }
            }
            Blotter {
                SplitView.preferredHeight: 220
                SplitView.minimumHeight: 120
                onAlertDialogRequested: alertDialog.openFor(Dashboard.market.selectedSymbol, "")
            }
        }
        SplitView {
            id: rightSplit
            objectName: "rightSplit"
            onResizingChanged: root.recordSplit(rightSplit)
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
        root.applyWorkspace()
        Dashboard.attachWindow(root)
        Dashboard.start()
    }
    onClosing: {
        for (const split of [mainSplit, centerSplit, rightSplit, chartSplit])
            root.recordSplit(split)
    }
}
