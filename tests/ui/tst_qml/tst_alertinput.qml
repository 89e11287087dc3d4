import QtQuick
import QtTest
import Tickwire

// New alerts dragged out of the chart (from the price axis, or Alt+drag on the plot) and the
// alerts list driven from the keyboard (Up/Down, Space, Delete).
Item {
    id: root
    width: 900
    height: 700

    ChartPanel { id: chart; width: parent.width; height: 450 }
    AlertsPanel { id: alertsPanel; y: 450; width: parent.width; height: 250 }

    TestCase {
        name: "AlertInput"
        when: windowShown

        function cleanup() {
            while (Dashboard.alerts.count > 0)
                compare(Dashboard.alerts.remove(Dashboard.alerts.data(Dashboard.alerts.index(0, 0), AlertBook.AlertIdRole)), "")
        }

        function feeder() {
            Dashboard.start()
            const f = findChild(chart, "chartFeeder")
            verify(f)
            tryVerify(() => f.pointCount > 10 && f.maxPrice > f.minPrice, 15000)
            return f
        }

        function value(row, role) {
            return Dashboard.alerts.data(Dashboard.alerts.index(row, 0), role)
        }

        // Drags on `area` from y0 to y1 (lines' coordinates: same y origin) and checks the alert
        // made: at the release price (to the tick), up above the last price, down below it.
        function dragNew(area, x, y0, y1, modifiers) {
            const lines = findChild(chart, "alertLines")
            const count = Dashboard.alerts.count
            mousePress(area, x, y0, Qt.LeftButton, modifiers)
            mouseMove(area, x, (y0 + y1) / 2, -1, Qt.LeftButton, modifiers)
            mouseMove(area, x, y1, -1, Qt.LeftButton, modifiers)
            verify(findChild(lines, "newAlertPreview").visible)
            // The preview is at the pointer (the axis range may move a little with the feed)…
            const perPixel = (lines.maxPrice - lines.minPrice) / lines.height
            verify(Math.abs(lines.newPrice - lines.priceAt(y1)) <= 2 * perPixel, lines.newPrice + " vs " + lines.priceAt(y1))
            // …and the alert at the preview's level.
            const expected = Dashboard.alerts.snapToTick(lines.newPrice, Dashboard.market.selectedTickSize)
            const lastBefore = lines.lastPrice
            mouseRelease(area, x, y1, Qt.LeftButton, modifiers)
            const lastAfter = lines.lastPrice
            compare(Dashboard.alerts.count, count + 1)
            verify(!findChild(lines, "newAlertPreview").visible)
            const row = Dashboard.alerts.count - 1
            compare(value(row, AlertBook.SymbolRole), Dashboard.market.selectedSymbol)
            compare(value(row, AlertBook.FieldRole), "last")
            compare(value(row, AlertBook.LevelRole), expected)
            const level = Number(expected)
            // (The last price may move while the events are processed: only a side it kept counts.)
            if ((level > lastBefore) === (level > lastAfter))
                compare(value(row, AlertBook.ConditionRole), level > lastAfter ? "up" : "down")
            return level
        }

        function test_dragFromTheAxis() {
            const f = feeder()
            const axis = findChild(chart, "alertAxisArea")
            verify(axis)
            verify(axis.width > 10, "axis strip " + axis.width)
            const lines = findChild(chart, "alertLines")
            const high = dragNew(axis, axis.width / 2, lines.height / 2, lines.height * 0.1, Qt.NoModifier)
            const low = dragNew(axis, axis.width / 2, lines.height / 2, lines.height * 0.9, Qt.NoModifier)
            verify(high > low)
            // A click on the axis (no drag) makes no alert.
            mouseClick(axis, axis.width / 2, lines.height / 2)
            compare(Dashboard.alerts.count, 2)
        }

        function test_altDragOnThePlot() {
            const f = feeder()
            const lines = findChild(chart, "alertLines")
            dragNew(lines, lines.width / 2, lines.height * 0.3, lines.height * 0.2, Qt.AltModifier)
            // A plain drag pans the chart, no alert.
            mousePress(lines, lines.width / 2, lines.height / 2)
            mouseMove(lines, lines.width / 2 + 40, lines.height * 0.3)
            mouseRelease(lines, lines.width / 2 + 40, lines.height * 0.3)
            compare(Dashboard.alerts.count, 1)
            verify(!findChild(lines, "newAlertPreview").visible)
        }

        function test_keyboardInTheList() {
            const first = Dashboard.alerts.addAlert("BTC-USD", "last", "up", "1000", "once", "", "")
            const second = Dashboard.alerts.addAlert("BTC-USD", "last", "down", "900", "once", "", "")
            verify(first > 0 && second > 0)
            const list = findChild(alertsPanel, "alertList")
            tryCompare(list, "count", 2)
            alertsPanel.focusList()
            verify(list.activeFocus)
            compare(list.currentIndex, 0)
            keyClick(Qt.Key_Space)
            compare(value(Dashboard.alerts.rowOf(first), AlertBook.EnabledRole), false)
            keyClick(Qt.Key_Space)
            compare(value(Dashboard.alerts.rowOf(first), AlertBook.EnabledRole), true)
            keyClick(Qt.Key_Down)
            compare(list.currentIndex, 1)
            keyClick(Qt.Key_Space)
            compare(value(Dashboard.alerts.rowOf(second), AlertBook.EnabledRole), false)
            compare(value(Dashboard.alerts.rowOf(first), AlertBook.EnabledRole), true)
            keyClick(Qt.Key_Delete)
            compare(Dashboard.alerts.count, 1)
            compare(Dashboard.alerts.rowOf(second), -1)
            keyClick(Qt.Key_Delete)
            compare(Dashboard.alerts.count, 0)
        }
    }
}
