import QtQuick
import QtTest
import Tickwire

// The chart panel's Candles | Depth tabs (buttons and Ctrl+D) and the depth chart on the demo
// feed: both sides drawn around the mid, and a hover readout from the model's exact values.
Item {
    id: root
    width: 900
    height: 600

    ChartPanel { id: panel; anchors.fill: parent }
    // The chart beside it, below the window's edge: never under the mouse clicks above.
    ChartPanel { id: second; chartId: "second"; y: parent.height; width: parent.width; height: 400 }

    TestCase {
        name: "DepthView"
        when: windowShown

        function test_tabsSwitchViews() {
            const price = findChild(panel, "priceChart")
            const depthView = findChild(panel, "depthView")
            const candlesTab = findChild(panel, "candlesTab")
            const depthTab = findChild(panel, "depthTab")
            verify(price && depthView && candlesTab && depthTab)
            panel.view = "candles"
            verify(price.visible)
            verify(!depthView.visible)
            mouseClick(depthTab)
            compare(panel.view, "depth")
            verify(depthView.visible)
            verify(!price.visible)
            verify(depthTab.checked && !candlesTab.checked)
            // Ctrl+D toggles back and forth.
            keyClick(Qt.Key_D, Qt.ControlModifier)
            compare(panel.view, "candles")
            verify(price.visible)
            keyClick(Qt.Key_D, Qt.ControlModifier)
            compare(panel.view, "depth")
            mouseClick(candlesTab)
            compare(panel.view, "candles")
        }

        function test_depthChartAndReadout() {
            Dashboard.start()
            Dashboard.market.selectedSymbol = "BTC-USD"
            panel.view = "depth"
            const chart = findChild(panel, "depthChart")
            const depth = Dashboard.market.depth
            tryVerify(() => depth.bidCount > 2 && depth.askCount > 2 && depth.hasMid, 15000)
            tryVerify(() => chart.width > 100 && chart.plotArea.width > 100, 5000)
            // Centred on the mid: bids left, asks right.
            verify(chart.minPrice < depth.midValue && depth.midValue < chart.maxPrice)
            const mid = chart.xOf(depth.midValue)
            verify(Math.abs(mid - (chart.plotArea.x + chart.plotArea.width / 2)) <= 1, mid)
            verify(chart.maxSize > 0)
            // Hover over the deepest bid: its cumulative is the side's total.
            const deepestBid = depth.bidCount - 1
            const bidPrice = depth.data(depth.index(deepestBid, 0), DepthModel.PriceValueRole)
            chart.hoverAt(chart.xOf(bidPrice) - 1)
            compare(chart.hoverRow, deepestBid)
            compare(chart.readout.side, "buy")
            compare(chart.readout.price, depth.data(depth.index(deepestBid, 0), DepthModel.PriceRole))
            compare(chart.readout.cumulative, depth.data(depth.index(deepestBid, 0), DepthModel.CumulativeRole))
            compare(chart.readout.notional, depth.data(depth.index(deepestBid, 0), DepthModel.NotionalRole))
            const text = findChild(panel, "depthReadout")
            verify(text.visible)
            verify(text.text.indexOf(chart.readout.price) >= 0, text.text)
            // Right of the mid: the asks.
            chart.hoverAt(chart.plotArea.x + chart.plotArea.width - 2)
            compare(chart.readout.side, "sell")
            compare(chart.hoverRow, depth.bidCount + depth.askCount - 1)
            // Off the plot: no readout.
            chart.hoverAt(-1)
            compare(chart.hoverRow, -1)
            verify(!text.visible)
            verify(findChild(panel, "depthMid").text.indexOf(depth.mid) >= 0)
        }

        // The second chart's depth tab charts its own symbol, from a book subscribed for it
        // only while the tab is shown.
        function test_secondChartDepth() {
            Dashboard.start()
            Dashboard.market.selectedSymbol = "BTC-USD"
            Dashboard.market.secondSymbol = "ETH-USD"
            Dashboard.market.secondChart = true
            second.view = "candles"
            compare(Dashboard.market.secondView, "candles")
            const depthView = findChild(second, "depthView")
            verify(!depthView.visible)
            second.view = "depth"
            compare(Dashboard.market.secondView, "depth")
            verify(depthView.visible)
            verify(findChild(second, "depthTab").checked)
            const depth = Dashboard.market.secondDepth
            compare(depthView.depth, depth)
            tryVerify(() => depth.bidCount > 2 && depth.askCount > 2 && depth.hasMid, 15000)
            tryVerify(() => Dashboard.market.depth.hasMid, 15000)
            verify(depth.midValue !== Dashboard.market.depth.midValue)
            second.view = "candles"
            compare(Dashboard.market.secondView, "candles")
            compare(depth.bidCount, 0)
            Dashboard.market.secondChart = false
        }
    }
}
