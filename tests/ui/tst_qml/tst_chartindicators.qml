import QtQuick
import QtTest
import Tickwire

// The chart's indicators on the demo feed: the menu (Ctrl+I) adds, edits and removes them, RSI
// and MACD get a pane each under the volume on the candle pane's x, overlays do not, and the
// choice is saved in the settings for this chart.
Item {
    width: 900
    height: 700

    ChartPanel { id: panel; anchors.fill: parent; chartId: "qmltest" }

    TestCase {
        name: "ChartIndicators"
        when: windowShown

        function init() {
            Dashboard.start()
            findChild(panel, "chartIndicators").specs = []
        }

        // Items named `name` under `root` (Repeater delegates), in no particular order.
        function all(root, name) {
            const found = []
            function walk(item) {
                if (item.objectName === name)
                    found.push(item)
                for (let c = 0; c < item.children.length; ++c)
                    walk(item.children[c])
            }
            walk(root)
            return found
        }

        function panes() {
            return all(panel, "indicatorPane").filter(pane => pane.visible)
        }

        function test_menuAddsEditsAndRemoves() {
            const indicators = findChild(panel, "chartIndicators")
            const menu = findChild(panel, "indicatorMenu")
            verify(indicators && menu)
            panel.forceActiveFocus()
            keyClick(Qt.Key_I, Qt.ControlModifier)
            tryVerify(() => menu.opened)
            mouseClick(findChild(menu, "add_sma"))
            mouseClick(findChild(menu, "add_bollinger"))
            mouseClick(findChild(menu, "add_sma"))  // the same kind twice
            mouseClick(findChild(menu, "add_rsi"))
            compare(indicators.specs, ["sma 20", "bollinger 20 2", "sma 20", "rsi 14"])
            // Edit a period through the API the spin boxes call; a bad value is refused.
            compare(indicators.setParameter(2, "period", 50), "")
            verify(indicators.setParameter(2, "period", 0) !== "")
            compare(indicators.specs[2], "sma 50")
            // Saved for this chart.
            compare(Dashboard.settings.chartIndicators("qmltest"), indicators.specs)
            const first = all(menu.contentItem, "indicatorEntry").find(entry => entry.index === 0)
            // Laid out (the rows were stacked at first), so the click lands on this row's button.
            tryVerify(() => all(menu.contentItem, "indicatorEntry").every(e => e.index === 0 || e.y > first.y))
            mouseClick(findChild(first, "removeIndicator"))
            compare(indicators.specs, ["bollinger 20 2", "sma 50", "rsi 14"])
            keyClick(Qt.Key_Escape)
            tryVerify(() => !menu.opened)
        }

        function test_subPanesShareTheCandleX() {
            const indicators = findChild(panel, "chartIndicators")
            const feeder = findChild(panel, "chartFeeder")
            const price = findChild(panel, "priceChart")
            indicators.specs = ["sma 20", "rsi 14", "macd 12 26 9"]
            tryVerify(() => feeder.pointCount > 30, 15000)
            const shown = panes()
            compare(shown.length, 2) // RSI and MACD; the SMA is an overlay
            for (const pane of shown) {
                const plot = findChild(pane, "indicatorPlot")
                const inPanel = plot.mapToItem(panel, 0, 0)
                const plotArea = price.mapToItem(panel, price.plotArea.x, price.plotArea.y)
                fuzzyCompare(inPanel.x, plotArea.x, 1)
                fuzzyCompare(plot.width, price.plotArea.width, 1)
                compare(plot.minTime, feeder.minTime)
                compare(plot.maxTime, feeder.maxTime)
                tryVerify(() => !isNaN(plot.lastValue))
                // Under the volume pane.
                const volume = findChild(panel, "volumeChart")
                tryVerify(() => plot.mapToItem(panel, 0, 0).y
                          >= volume.mapToItem(panel, 0, 0).y + volume.height - 1)
            }
            const overlay = findChild(panel, "overlayPlot")
            compare(overlay.minValue, feeder.minPrice)
            compare(overlay.maxValue, feeder.maxPrice)
            indicators.specs = ["sma 20"]
            tryVerify(() => panes().length === 0)
        }
    }
}
