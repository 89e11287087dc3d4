import QtQuick
import QtQuick.Controls
import QtTest
import Tickwire

// The Workspaces menu (Ctrl+Shift+W opens it, new / rename with a refused name, Ctrl+1..9
// switch) and the second chart panel (its own symbol and interval, shown by the workspace).
Item {
    id: root
    width: 1200
    height: 700

    Row {
        anchors.fill: parent
        WorkspaceMenu { id: menuButton; width: 300 }
        ChartPanel { id: second; chartId: "second"; restoreIndicators: false; width: 600; height: 600 }
    }

    TestCase {
        name: "Workspaces"
        when: windowShown

        function cleanup() {
            const store = Dashboard.workspaces
            store.currentIndex = 0
            while (store.count > 1)
                verify(store.remove(store.count - 1) === "")
            store.setSecondChart(false)
        }

        function nameDialog() { return findChild(menuButton, "workspaceNameDialog") }

        function test_menuCreatesRenamesAndSwitches() {
            const store = Dashboard.workspaces
            const first = store.currentName
            const menu = findChild(menuButton, "workspaceMenu")
            verify(menu)
            keyClick(Qt.Key_W, Qt.ControlModifier | Qt.ShiftModifier)
            tryVerify(() => menu.opened)
            compare(menuButton.text, "Workspace: " + first)
            // "Save as new workspace…": a name, Enter.
            findChild(menu, "workspaceNew").triggered()
            const dialog = nameDialog()
            tryVerify(() => dialog.opened)
            const field = findChild(dialog, "workspaceName")
            field.text = "Scalping"
            field.accepted()
            tryVerify(() => !dialog.opened)
            compare(store.count, 2)
            compare(store.currentName, "Scalping")
            compare(menuButton.text, "Workspace: Scalping")
            // Renamed to a taken name: refused, the dialog stays with the reason.
            findChild(menu, "workspaceRename").triggered()
            tryVerify(() => dialog.opened)
            compare(field.text, "Scalping")
            field.text = first.toUpperCase()
            field.accepted()
            tryVerify(() => dialog.opened)
            const error = findChild(dialog, "workspaceNameError")
            verify(error.visible)
            verify(error.text.indexOf(first) >= 0, error.text)
            compare(store.currentName, "Scalping")
            dialog.close()
            menu.close() // an item's triggered() emitted by hand leaves the menu open
            tryVerify(() => !dialog.visible && !menu.visible)
            // Ctrl+1 and Ctrl+2 switch.
            keyClick(Qt.Key_1, Qt.ControlModifier)
            compare(store.currentIndex, 0)
            keyClick(Qt.Key_2, Qt.ControlModifier)
            compare(store.currentName, "Scalping")
        }

        function test_secondChartHasItsOwnSeries() {
            Dashboard.start()
            const store = Dashboard.workspaces
            keyClick(Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
            verify(store.secondChart)
            verify(Dashboard.market.secondChart)
            Dashboard.market.secondSymbol = "ETH-USD"
            Dashboard.market.secondInterval = "1s"
            compare(second.symbol, "ETH-USD")
            compare(second.interval, "1s")
            compare(second.candleModel, Dashboard.market.secondCandles)
            // Narrow: the intervals as a list, which sets the second chart's only.
            const mainInterval = Dashboard.market.candleInterval
            const box = findChild(second, "intervalBox")
            verify(box.visible)
            compare(box.currentText, "1s")
            box.activated(box.find("5m"))
            compare(Dashboard.market.secondInterval, "5m")
            compare(Dashboard.market.candleInterval, mainInterval)
            compare(store.chartDisplay("second").style, "candles")
            // Its symbol list is the current watchlist, kept up to date.
            const symbolBox = findChild(second, "secondSymbol")
            const list = Dashboard.watchlists.currentIndex
            const before = symbolBox.count
            verify(before > 0)
            verify(symbolBox.find("LINK-USD") < 0)
            compare(Dashboard.watchlists.addSymbol(list, "LINK-USD"), "")
            tryCompare(symbolBox, "count", before + 1)
            symbolBox.activated(symbolBox.find("LINK-USD"))
            compare(Dashboard.market.secondSymbol, "LINK-USD")
            compare(Dashboard.watchlists.removeSymbolNamed(list, "LINK-USD"), "")
            tryCompare(symbolBox, "count", before)
            Dashboard.market.secondSymbol = "ETH-USD"
            // Candles of ETH-USD arrive for it while the main chart shows another symbol.
            const feeder = findChild(second, "chartFeeder")
            tryVerify(() => feeder.pointCount > 0, 15000)
            keyClick(Qt.Key_C, Qt.ControlModifier | Qt.ShiftModifier)
            verify(!Dashboard.market.secondChart)
            tryVerify(() => feeder.pointCount === 0)
        }
    }
}
