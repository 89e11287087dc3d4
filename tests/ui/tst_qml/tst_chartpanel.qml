import QtQuick
import QtTest
import QtCharts
import Tickwire

// The chart panel's axes on the demo feed: one x range and one plot width for the candle and
// volume panes, time labels at round times, price ticks at a round step.
Item {
    width: 900
    height: 600

    ChartPanel { id: panel; anchors.fill: parent }

    TestCase {
        name: "ChartPanel"
        when: windowShown

        // 1/2/5/10/15/30 s and min, 1/2/3/6/12 h, 1/2/5/10 days, in ms.
        readonly property var timeSteps: [1e3, 2e3, 5e3, 10e3, 15e3, 30e3,
            60e3, 120e3, 300e3, 600e3, 900e3, 1800e3,
            3600e3, 7200e3, 10800e3, 21600e3, 43200e3,
            86400e3, 172800e3, 432000e3, 864000e3]

        function feederWithCandles() {
            Dashboard.start()
            const feeder = findChild(panel, "chartFeeder")
            verify(feeder)
            tryVerify(() => feeder.pointCount > 10 && feeder.timeTicks.length > 0, 15000)
            return feeder
        }

        function test_panesShareTheTimeRange() {
            const feeder = feederWithCandles()
            const timeAxis = feeder.timeAxis
            const price = findChild(panel, "priceChart")
            const volume = findChild(panel, "volumeChart")
            verify(price && volume)
            // The axes each pane's series are drawn on.
            compare(price.axisX(feeder.lineSeries), timeAxis)
            const candleTime = price.axisX(feeder.candleSeries)
            compare(volume.count, 1)
            const volumeTime = volume.axisX(volume.series(0))
            verify(timeAxis && candleTime && volumeTime)
            compare(timeAxis.min, feeder.minTime)
            compare(timeAxis.max, feeder.maxTime)
            compare(candleTime.min, timeAxis.min)
            compare(candleTime.max, timeAxis.max)
            compare(volumeTime.min, timeAxis.min)
            compare(volumeTime.max, timeAxis.max)
            // Same plot area left and right, so a volume bar sits under its candle.
            tryVerify(() => Math.abs(price.plotArea.x - volume.plotArea.x) <= 1
                      && Math.abs(price.plotArea.x + price.plotArea.width
                                  - volume.plotArea.x - volume.plotArea.width) <= 1, 5000,
                      "plot areas " + price.plotArea + " and " + volume.plotArea)
            verify(price.plotArea.width > 100)
        }

        function test_timeLabelsAtRoundTimes() {
            const feeder = feederWithCandles()
            const axis = feeder.timeAxis
            const step = feeder.timeStep
            verify(timeSteps.indexOf(step) >= 0, "step " + step)
            const ticks = feeder.timeTicks
            verify(ticks.length >= 2 && ticks.length <= feeder.maxTimeLabels, ticks.length)
            compare(axis.count, ticks.length)
            for (let i = 0; i < ticks.length; ++i) {
                const t = ticks[i]
                const at = new Date(t)
                // Not at the very ends, where a label would overhang the plot.
                const edge = (feeder.maxTime - feeder.minTime) * 0.04
                verify(t >= feeder.minTime + edge - 1 && t <= feeder.maxTime - edge + 1)
                if (i > 0)
                    compare(t - ticks[i - 1], step)
                // Round on the local clock.
                const wall = t - at.getTimezoneOffset() * 60000
                compare(wall % Math.min(step, 86400000), 0)
                const label = axis.categoriesLabels[i]
                const midnight = at.getHours() === 0 && at.getMinutes() === 0 && at.getSeconds() === 0
                if (!midnight)
                    compare(label, Qt.formatDateTime(at, step >= 60000 ? "hh:mm" : "hh:mm:ss"))
            }
            // Before the first tick, outside the range: no grid line at the left edge.
            compare(axis.startValue, ticks[0] - 2 * step)
            verify(axis.startValue < feeder.minTime)
        }

        function test_priceTicksAtARoundStep() {
            const feeder = feederWithCandles()
            const axis = feeder.priceAxis
            verify(axis)
            tryCompare(axis, "min", feeder.minPrice)
            compare(axis.max, feeder.maxPrice)
            compare(axis.tickType, ValuesAxis.TicksDynamic)
            compare(axis.tickInterval, feeder.priceStep)
            compare(axis.tickAnchor, 0)
            const exponent = Math.floor(Math.log10(feeder.priceStep) + 1e-9)
            const mantissa = Math.round(feeder.priceStep / Math.pow(10, exponent) * 1000) / 1000
            verify([1, 2, 5].indexOf(mantissa) >= 0, "step " + feeder.priceStep)
            const ticks = Math.floor(feeder.maxPrice / feeder.priceStep) - Math.ceil(feeder.minPrice / feeder.priceStep) + 1
            verify(ticks >= 2 && ticks <= 7, ticks)
            compare(axis.labelFormat, "%." + panel.priceDecimals + "f")
        }
    }
}
