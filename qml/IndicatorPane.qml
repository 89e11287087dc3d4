pragma ComponentBehavior: Bound

import QtQuick
import Tickwire

// One RSI or MACD under the candles: its own value range, the candle pane's time range and plot
// area left and right (plotX, plotWidth), so each point sits under its candle.
Rectangle {
    id: pane
    objectName: "indicatorPane"
    required property ChartIndicators indicators
    required property int row
    required property string kind
    required property string label
    required property real minTime
    required property real maxTime
    required property real plotX
    required property real plotWidth
    required property var colors
    readonly property bool rsi: kind === "rsi"
    color: Theme.panel
    Rectangle { width: parent.width; height: 1; color: Theme.border }

    IndicatorPlot {
        id: plot
        objectName: "indicatorPlot"
        x: pane.plotX
        y: 4
        width: pane.plotWidth
        height: pane.height - 8
        indicators: pane.indicators
        row: pane.row
        minTime: pane.minTime
        maxTime: pane.maxTime
        autoRange: !pane.rsi
        minValue: 0
        maxValue: 100
        colors: pane.colors
        upColor: Theme.up
        downColor: Theme.down
        signalColor: Theme.warn
    }
    // Guides: RSI's 30 and 70, MACD's zero.
    Repeater {
        model: pane.rsi ? [30, 70] : [0]
        Item {
            id: guide
            required property int modelData
            readonly property real lo: pane.rsi ? 0 : plot.rangeMin
            readonly property real hi: pane.rsi ? 100 : plot.rangeMax
            x: plot.x
            width: plot.width
            y: plot.y + (hi - modelData) * plot.height / Math.max(1e-12, hi - lo)
            Rectangle { width: parent.width; height: 1; color: Theme.border }
            Text {
                x: parent.width + 4
                y: -height / 2
                text: guide.modelData
                color: Theme.textDim
                font.family: Theme.monoFamily
                font.pixelSize: Theme.smallFont
            }
        }
    }
    Text {
        x: plot.x + 6
        y: 3
        text: pane.label + "  " + (isNaN(plot.lastValue) ? "–" : plot.lastValue.toFixed(pane.rsi ? 1 : 4))
        color: pane.colors[Math.max(0, pane.row) % pane.colors.length]
        font.family: Theme.monoFamily
        font.pixelSize: Theme.smallFont
    }
}
