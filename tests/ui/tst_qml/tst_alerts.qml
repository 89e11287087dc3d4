import QtQuick
import QtTest
import Tickwire

// Price alerts in the UI: the chart's alert lines at their level (the feeder's axis range),
// a drag moving the level (snapped to the tick), the chart's "Alert at" level; the alerts panel
// listing, enabling/disabling and deleting through Dashboard.alerts.
Item {
    id: root
    width: 900
    height: 700

    ChartPanel { id: chart; width: parent.width; height: 450 }
    AlertsPanel { id: alertsPanel; y: 450; width: parent.width; height: 250 }

    TestCase {
        name: "Alerts"
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

        // A level in the middle of the axis, on the tick grid.
        function midLevel(f) {
            return Dashboard.alerts.snapToTick((f.minPrice + f.maxPrice) / 2, Dashboard.market.selectedTickSize)
        }

        function test_lineAtItsLevel() {
            const f = feeder()
            const level = midLevel(f)
            const id = Dashboard.alerts.addAlert(Dashboard.market.selectedSymbol, "last", "up", level, "once", "", "")
            verify(id > 0, Dashboard.alerts.lastError())
            const lines = findChild(chart, "alertLines")
            verify(lines)
            let line = null
            tryVerify(() => (line = findChild(lines, "alertLine_" + id)) !== null)
            verify(line.visible)
            const bar = findChild(line, "alertLevelLine")
            verify(bar.width > 100, "line width " + bar.width)
            // The line's centre is where the level maps on the price axis.
            const expected = (f.maxPrice - Number(level)) * lines.height / (f.maxPrice - f.minPrice)
            verify(Math.abs(line.y + line.height / 2 - expected) <= 1, line.y + " vs " + expected)
            // Drawn across the plot, in the alert colour.
            const image = grabImage(root)
            const at = lines.mapToItem(root, lines.width * 0.6, Math.round(line.y) + Math.floor(line.height / 2))
            const px = image.pixel(Math.round(at.x), Math.round(at.y))
            verify(px.r > 0.6 && px.g > 0.45 && px.b < 0.35, "pixel " + px + " at " + at)
            // An alert on another symbol draws no line here.
            const other = Dashboard.alerts.addAlert("OTHER-SYM", "last", "up", "1", "once", "", "")
            verify(other > 0)
            const otherLine = findChild(lines, "alertLine_" + other)
            verify(otherLine && !otherLine.visible)
        }

        function test_dragMovesTheLevel() {
            const f = feeder()
            const id = Dashboard.alerts.addAlert(Dashboard.market.selectedSymbol, "last", "either", midLevel(f), "once", "", "")
            verify(id > 0)
            const lines = findChild(chart, "alertLines")
            let line = null
            tryVerify(() => (line = findChild(lines, "alertLine_" + id)) !== null)
            const area = findChild(line, "alertDragArea")
            verify(area)
            const before = Number(Dashboard.alerts.data(Dashboard.alerts.index(Dashboard.alerts.rowOf(id), 0), AlertBook.LevelRole))
            // The line follows the mouse: moves are given in the fixed frame of the lines' item.
            const cx = 200, cy = line.y + line.height / 2
            mousePress(lines, cx, cy)
            mouseMove(lines, cx, cy - 30)
            mouseMove(lines, cx, cy - 60)
            mouseRelease(lines, cx, cy - 60)
            const row = Dashboard.alerts.rowOf(id)
            const after = Dashboard.alerts.data(Dashboard.alerts.index(row, 0), AlertBook.LevelRole)
            const perPixel = (f.maxPrice - f.minPrice) / lines.height
            verify(Math.abs(Number(after) - (before + 60 * perPixel)) <= 2 * perPixel + Number(Dashboard.market.selectedTickSize),
                   before + " -> " + after)
            // On the tick grid, as exact text.
            compare(Dashboard.alerts.snapToTick(Number(after), Dashboard.market.selectedTickSize), after)
        }

        // A 24 h % change alert's line: at the price where the change reaches the level, with
        // the level in percent on its tag; a drag sets the percentage at the release price.
        function test_percentLine() {
            const f = feeder()
            const symbol = Dashboard.market.selectedSymbol
            const id = Dashboard.alerts.addAlert(symbol, "changePercent", "up", "0", "once", "", "")
            verify(id > 0, Dashboard.alerts.lastError())
            const chartPrice = () => Dashboard.alerts.data(Dashboard.alerts.index(Dashboard.alerts.rowOf(id), 0), AlertBook.ChartPriceRole)
            // Placed once a ticker gave the symbol's 24 h open.
            tryVerify(() => !isNaN(chartPrice()), 15000)
            const mid = (f.minPrice + f.maxPrice) / 2
            const percent = Dashboard.alerts.percentAt(symbol, mid)
            verify(percent !== "")
            compare(Dashboard.alerts.setLevel(id, percent), "")
            const lines = findChild(chart, "alertLines")
            let line = null
            tryVerify(() => (line = findChild(lines, "alertLine_" + id)) !== null && line.visible)
            verify(line.percent)
            const expected = lines.yOf(chartPrice())
            verify(Math.abs(line.y + line.height / 2 - expected) <= 1, line.y + " vs " + expected)
            verify(Math.abs(chartPrice() - mid) <= mid * 0.0001, chartPrice() + " vs " + mid)
            const tag = findChild(line, "alertTag")
            verify(tag.children[0].text.indexOf(percent + "%") >= 0, tag.children[0].text)
            // Dragged up: a higher percentage, the change at the release price.
            const cx = 200, cy = line.y + line.height / 2
            mousePress(lines, cx, cy)
            mouseMove(lines, cx, cy - 30)
            mouseMove(lines, cx, cy - 60)
            mouseRelease(lines, cx, cy - 60)
            const after = Dashboard.alerts.data(Dashboard.alerts.index(Dashboard.alerts.rowOf(id), 0), AlertBook.LevelRole)
            verify(Number(after) > Number(percent), percent + " -> " + after)
            const released = Dashboard.alerts.percentAt(symbol, lines.priceAt(cy - 60))
            verify(Math.abs(Number(after) - Number(released)) <= 0.02, after + " vs " + released)
        }

        function test_levelAtAPoint() {
            const f = feeder()
            const lines = findChild(chart, "alertLines")
            const level = lines.levelAt(lines.height / 4)
            const expected = f.maxPrice - (f.maxPrice - f.minPrice) / 4
            verify(Math.abs(Number(level) - expected) <= Number(Dashboard.market.selectedTickSize), level)
            // Above the last price an alert that crosses up, below one that crosses down (no event
            // is processed between reading the price and adding the alert).
            const expectedCondition = Number(level) > lines.lastPrice ? "up" : "down"
            const id = lines.addAt(level)
            verify(id > 0)
            compare(Dashboard.alerts.data(Dashboard.alerts.index(Dashboard.alerts.rowOf(id), 0), AlertBook.ConditionRole), expectedCondition)
        }

        function test_panelEnableDisableDelete() {
            const id = Dashboard.alerts.addAlert("BTC-USD", "ask", "down", "1000", "cooldown", "30", "dip")
            verify(id > 0)
            const list = findChild(alertsPanel, "alertList")
            tryCompare(list, "count", 1)
            let row = null
            tryVerify(() => (row = findChild(list, "alertRow_" + id)) !== null)
            const toggle = findChild(row, "alertEnabled")
            verify(toggle.checked)
            mouseClick(toggle)
            compare(Dashboard.alerts.data(Dashboard.alerts.index(0, 0), AlertBook.EnabledRole), false)
            tryCompare(toggle, "checked", false)
            mouseClick(toggle)
            compare(Dashboard.alerts.data(Dashboard.alerts.index(0, 0), AlertBook.EnabledRole), true)
            mouseClick(findChild(row, "alertDelete"))
            compare(Dashboard.alerts.count, 0)
            tryCompare(list, "count", 0)
        }
    }
}
