pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtCharts
import Qt.labs.settings
import Tickwire

// The live chart of the selected symbol: candlesticks or a close line, a volume pane, a
// last-price marker, a crosshair with an OHLCV readout, wheel zoom and drag pan with
// "follow live". Series are fed from C++ (CandleChartFeeder); QML only lays them out.
Rectangle {
    id: panel
    color: Theme.panel
    property bool lineMode: false
    // The alert dialog for the charted symbol, prefilled with a level (right-click menu).
    signal alertDialogRequested(string level)
    // "candles" or "depth": the tab shown (Ctrl+D switches).
    property string view: "candles"
    readonly property int priceDecimals: Math.max(0, (panel.tickSize.split(".")[1] || "").length)
    // "main" charts the selected symbol; "second" is the chart beside it, with its own symbol
    // and interval (Dashboard.market.second*). Shortcuts act on the main chart only.
    readonly property bool isSecond: chartId === "second"
    readonly property CandleModel candleModel: isSecond ? Dashboard.market.secondCandles : Dashboard.market.candles
    readonly property string symbol: isSecond ? Dashboard.market.secondSymbol : Dashboard.market.selectedSymbol
    readonly property string interval: isSecond ? Dashboard.market.secondInterval : Dashboard.market.candleInterval
    readonly property string tickSize: isSecond ? Dashboard.market.secondTickSize : Dashboard.market.selectedTickSize
    function setInterval(name: string) {
        if (isSecond)
            Dashboard.market.secondInterval = name
        else
            Dashboard.market.candleInterval = name
    }
    // What a workspace keeps of this chart besides its symbol and interval, and how it is put
    // back (applyDisplay takes a copy: each assignment below records the display again).
    readonly property var display: ({ style: lineMode ? "line" : "candles", view: view, indicators: chartIndicators.specs })
    function applyDisplay(d) {
        lineMode = d.style === "line"
        view = d.view === "depth" ? "depth" : "candles"
        chartIndicators.specs = d.indicators || []
    }

    // The panes' value labels differ in width, so their automatic plot areas would too: the
    // volume pane's side margins take up the difference. (A fixed ChartView.plotArea breaks
    // Qt Charts 6.4's axis layout.)
    function alignVolumePane() {
        const price = priceChart.plotArea
        const volume = volumeChart.plotArea
        if (price.width <= 0 || volume.width <= 0)
            return
        const margins = volumeChart.margins
        const left = Math.max(0, Math.round(margins.left + price.x - volume.x))
        const right = Math.max(0, Math.round(margins.right + volume.x + volume.width - price.x - price.width))
        if (left !== margins.left)
            margins.left = left
        if (right !== margins.right)
            margins.right = right
    }

    // The indicators on this chart (saved per chart in the settings under chartId) and their
    // colours, one per indicator in order.
    property string chartId: "main"
    readonly property var indicatorColors: Theme.dark
        ? ["#f0c419", "#4cc9f0", "#c77dff", "#ff9f43", "#80ed99", "#ff6b9d"]
        : ["#b8860b", "#0077b6", "#7b2cbf", "#d35400", "#2b9348", "#c9184a"]
    property bool indicatorsRestored: false
    ChartIndicators {
        id: chartIndicators
        objectName: "chartIndicators"
        candles: panel.candleModel
        onSpecsChanged: if (panel.indicatorsRestored) Dashboard.settings.setChartIndicators(panel.chartId, specs)
    }
    // False where a workspace restores the indicators (applyDisplay) instead of the settings.
    property bool restoreIndicators: true
    Component.onCompleted: {
        if (panel.restoreIndicators)
            chartIndicators.specs = Dashboard.settings.chartIndicators(panel.chartId)
        panel.indicatorsRestored = true
    }
    Shortcut {
        sequences: Shortcuts.keys("indicators")
        enabled: !panel.isSecond
        onActivated: indicatorMenu.opened ? indicatorMenu.close() : indicatorMenu.open()
    }

    CandleChartFeeder {
        id: feeder
        objectName: "chartFeeder"
        model: panel.candleModel
        candleSeries: candles
        lineSeries: closeLine
        volumeSeries: volumeUpper
        timeAxis: timeAxis
        priceAxis: priceAxis
        // Room for the widest label ("dd MMM hh:mm") and a gap.
        maxTimeLabels: Math.max(2, Math.min(8, Math.floor(priceChart.plotArea.width / 100)))
        priceDecimals: panel.priceDecimals
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        PanelHeader {
            id: chartHeader
            // Narrow (two charts side by side): the intervals as a list, no title.
            readonly property bool compact: panel.width < 660
            clip: true
            title: panel.isSecond || compact ? "" : qsTr("Chart · %1 · %2").arg(panel.symbol).arg(panel.interval)
            Layout.fillWidth: true
            // The second chart's symbol: any of the current watchlist's.
            ComboBox {
                id: symbolBox
                objectName: "secondSymbol"
                visible: panel.isSecond
                Layout.preferredWidth: 100
                Layout.minimumWidth: 100
                font.pixelSize: Theme.smallFont
                // The watchlist panel's rows, in its order: symbols added or removed show at once.
                model: panel.isSecond ? Dashboard.quotes : null
                textRole: "symbol"
                displayText: panel.symbol
                onActivated: (index) => Dashboard.market.secondSymbol = symbolBox.textAt(index)
            }
            ToolButton {
                objectName: "candlesTab"
                visible: !chartHeader.compact
                text: qsTr("Candles")
                checkable: true
                checked: panel.view === "candles"
                font.pixelSize: Theme.smallFont
                font.bold: checked
                onClicked: panel.view = "candles"
            }
            ToolButton {
                objectName: "depthTab"
                visible: !chartHeader.compact
                text: qsTr("Depth")
                checkable: true
                checked: panel.view === "depth"
                font.pixelSize: Theme.smallFont
                font.bold: checked
                onClicked: panel.view = "depth"
            }
            // Narrow, the two tabs are one button naming the other view.
            ToolButton {
                objectName: "viewToggle"
                visible: chartHeader.compact
                text: panel.view === "depth" ? qsTr("Candles") : qsTr("Depth")
                font.pixelSize: Theme.smallFont
                onClicked: panel.view = panel.view === "depth" ? "candles" : "depth"
            }
            ToolSeparator {}
            ComboBox {
                objectName: "intervalBox"
                visible: chartHeader.compact
                Layout.preferredWidth: 72
                font.pixelSize: Theme.smallFont
                model: ["1s", "1m", "5m", "15m", "1h"]
                currentIndex: model.indexOf(panel.interval)
                onActivated: (index) => panel.setInterval(textAt(index))
            }
            Repeater {
                model: chartHeader.compact ? [] : ["1s", "1m", "5m", "15m", "1h"]
                ToolButton {
                    required property string modelData
                    text: modelData
                    checkable: true
                    checked: panel.interval === modelData
                    font.pixelSize: Theme.smallFont
                    onClicked: panel.setInterval(modelData)
                }
            }
            ToolSeparator { visible: panel.view === "candles" }
            // The candle chart's own controls: none of them apply to the depth chart.
            ToolButton {
                objectName: "styleButton"
                visible: panel.view === "candles"
                text: panel.lineMode ? qsTr("Candles") : qsTr("Line")
                font.pixelSize: Theme.smallFont
                onClicked: panel.lineMode = !panel.lineMode
            }
            ToolButton {
                id: indicatorsButton
                objectName: "indicatorsButton"
                visible: panel.view === "candles"
                text: chartIndicators.count > 0 ? qsTr("Indicators (%1)").arg(chartIndicators.count) : qsTr("Indicators")
                font.pixelSize: Theme.smallFont
                onClicked: indicatorMenu.opened ? indicatorMenu.close() : indicatorMenu.open()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Add, edit or remove indicators (Ctrl+I)")
                IndicatorMenu {
                    id: indicatorMenu
                    indicators: chartIndicators
                    y: indicatorsButton.height
                    x: indicatorsButton.width - width
                }
            }
            ToolButton {
                objectName: "followLive"
                // Narrow, shown only once the chart was panned away from the live end.
                visible: panel.view === "candles" && (!chartHeader.compact || !feeder.followLive)
                text: qsTr("Follow live")
                checkable: true
                checked: feeder.followLive
                font.pixelSize: Theme.smallFont
                onClicked: feeder.followLive = true
            }
        }

        ChartView {
            id: priceChart
            objectName: "priceChart"
            visible: panel.view === "candles"
            onPlotAreaChanged: panel.alignVolumePane()
            Layout.fillWidth: true
            Layout.fillHeight: true
            antialiasing: true
            legend.visible: false
            backgroundColor: Theme.panel
            plotAreaColor: Theme.panel
            margins { left: 4; right: 4; top: 4; bottom: 0 }
            animationOptions: ChartView.NoAnimation

            // Labels and grid lines at round times: the feeder sets one category per round
            // time of the range, labelled on its end value. (A DateTimeAxis only spaces
            // tickCount ticks evenly between min and max.) x values are ms since the epoch.
            CategoryAxis {
                id: timeAxis
                min: feeder.minTime
                max: feeder.maxTime
                labelsPosition: CategoryAxis.AxisLabelsPositionOnValue
                labelsColor: Theme.textDim
                labelsFont.pixelSize: Theme.smallFont
                gridLineColor: Theme.border
                lineVisible: false
            }
            // ValuesAxis is ValueAxis (both QValueAxis), under the name Qt Charts 6.4's plugins.qmltypes
            // keeps: it describes QValueAxis twice, exported once as ValueAxis and once as
            // ValuesAxis, and qmllint knows only the second, so a ValueAxis would go unchecked.
            // Range and ticks (multiples of a round step) are set by the feeder; labels at the
            // instrument's decimals.
            ValuesAxis {
                id: priceAxis
                labelFormat: "%." + panel.priceDecimals + "f"
                labelsColor: Theme.textDim
                labelsFont.pixelSize: Theme.smallFont
                labelsFont.family: Theme.monoFamily
                gridLineColor: Theme.border
                lineVisible: false
            }
            // The candlesticks take no CategoryAxis ("Unexpected axis type"): they sit on this
            // hidden twin of timeAxis.
            ValuesAxis {
                id: candleTime
                min: timeAxis.min
                max: timeAxis.max
                visible: false
            }
            CandlestickSeries {
                id: candles
                visible: !panel.lineMode
                axisX: candleTime
                axisYRight: priceAxis
                increasingColor: Theme.up
                decreasingColor: Theme.down
                bodyOutlineVisible: false
                capsVisible: false
                bodyWidth: 0.7
                minimumColumnWidth: 1
            }
            LineSeries {
                id: closeLine
                visible: panel.lineMode
                axisX: timeAxis
                axisYRight: priceAxis
                color: Theme.accent
                width: 1.5
            }

            // SMA, EMA, VWAP and Bollinger over the candles, on the price axis's range.
            IndicatorPlot {
                objectName: "overlayPlot"
                x: priceChart.plotArea.x
                y: priceChart.plotArea.y
                width: priceChart.plotArea.width
                height: priceChart.plotArea.height
                visible: feeder.pointCount > 0
                indicators: chartIndicators
                row: -1
                minTime: feeder.minTime
                maxTime: feeder.maxTime
                minValue: feeder.minPrice
                maxValue: feeder.maxPrice
                colors: panel.indicatorColors
            }
            // The overlays' names and values at the open candle, in their colours.
            Row {
                x: priceChart.plotArea.x + 6
                y: priceChart.plotArea.y + 20
                spacing: 12
                Repeater {
                    model: chartIndicators
                    Text {
                        required property int index
                        required property string label
                        required property bool ownPane
                        required property double lastValue
                        visible: !ownPane
                        text: label + " " + (isNaN(lastValue) ? "–" : lastValue.toFixed(panel.priceDecimals))
                        color: panel.indicatorColors[Math.max(0, index) % panel.indicatorColors.length]
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.smallFont
                    }
                }
            }

            // The live candle (the newest of the window) is drawn by these items, not by the
            // series: any change to a series re-renders the whole chart image, and this candle
            // changes with every trade (CandleChartFeeder). Same geometry and colours as the
            // candlesticks and the close line.
            Item {
                id: liveCandle
                readonly property rect area: priceChart.plotArea
                readonly property real t0: feeder.minTime
                readonly property real sx: area.width / Math.max(1, feeder.maxTime - t0)
                readonly property real sy: area.height / Math.max(1e-12, feeder.maxPrice - feeder.minPrice)
                readonly property real bodyTop: py(Math.max(feeder.liveOpen, feeder.lastPrice))
                readonly property real bodyBottom: py(Math.min(feeder.liveOpen, feeder.lastPrice))
                function px(t) { return (t - t0) * sx }
                function py(p) { return (feeder.maxPrice - p) * sy }
                x: area.x
                y: area.y
                width: area.width
                height: area.height
                clip: true
                visible: feeder.pointCount > 0

                Rectangle {
                    objectName: "liveWick"
                    visible: !panel.lineMode
                    x: liveCandle.px(feeder.liveTime) - width / 2
                    y: liveCandle.py(feeder.liveHigh)
                    width: 1
                    height: liveCandle.py(feeder.liveLow) - y
                    color: feeder.wickColor
                }
                Rectangle {
                    objectName: "liveBody"
                    visible: !panel.lineMode
                    width: Math.max(candles.minimumColumnWidth, candles.bodyWidth * feeder.intervalMs * liveCandle.sx)
                    x: liveCandle.px(feeder.liveTime) - width / 2
                    y: liveCandle.bodyTop
                    height: liveCandle.bodyBottom - liveCandle.bodyTop
                    color: feeder.liveOpen < feeder.lastPrice ? candles.increasingColor : candles.decreasingColor
                }
                Rectangle {
                    objectName: "liveSegment"
                    readonly property real x1: liveCandle.px(feeder.previousTime)
                    readonly property real y1: liveCandle.py(feeder.previousClose)
                    readonly property real x2: liveCandle.px(feeder.liveTime)
                    readonly property real y2: liveCandle.py(feeder.lastPrice)
                    visible: panel.lineMode && feeder.hasPrevious
                    antialiasing: true
                    width: Math.hypot(x2 - x1, y2 - y1)
                    height: closeLine.width
                    x: (x1 + x2 - width) / 2
                    y: (y1 + y2 - height) / 2
                    rotation: Math.atan2(y2 - y1, x2 - x1) * 180 / Math.PI
                    color: closeLine.color
                }
            }

            // Last price marker on the right edge.
            Rectangle {
                id: lastMarker
                readonly property point pos: priceChart.mapToPosition(Qt.point(feeder.maxTime, feeder.lastPrice), closeLine)
                visible: feeder.pointCount > 0
                x: priceChart.plotArea.x + priceChart.plotArea.width - width
                y: Math.max(priceChart.plotArea.y, Math.min(priceChart.plotArea.y + priceChart.plotArea.height, pos.y)) - height / 2
                width: lastText.implicitWidth + 8
                height: lastText.implicitHeight + 2
                color: Theme.accent
                radius: 2
                Text {
                    id: lastText
                    anchors.centerIn: parent
                    text: feeder.lastPrice.toLocaleString(Qt.locale("C"), "f", panel.priceDecimals)
                    color: "white"
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.smallFont
                }
            }
            Rectangle {
                visible: lastMarker.visible
                x: priceChart.plotArea.x
                width: priceChart.plotArea.width - lastMarker.width
                y: lastMarker.y + lastMarker.height / 2
                height: 1
                color: Theme.accent
                opacity: 0.5
            }

            // Crosshair, readout, zoom and pan.
            MouseArea {
                id: crosshair
                x: priceChart.plotArea.x
                y: priceChart.plotArea.y
                width: priceChart.plotArea.width
                height: priceChart.plotArea.height
                hoverEnabled: true
                cursorShape: pressed ? Qt.ClosedHandCursor : Qt.CrossCursor
                property real pressX: 0
                property int pressOffset: 0
                property var candle: ({})
                onPressed: (mouse) => { pressX = mouse.x; pressOffset = feeder.offset }
                onPositionChanged: (mouse) => {
                    if (pressed) {
                        const perCandle = width / Math.max(1, feeder.visibleCount)
                        feeder.offset = pressOffset + Math.round((mouse.x - pressX) / perCandle)
                    }
                    const value = priceChart.mapToValue(Qt.point(mouse.x + x, mouse.y + y), closeLine)
                    candle = feeder.candleAt(value.x)
                }
                onExited: candle = ({})
                onWheel: (wheel) => feeder.zoom(wheel.angleDelta.y > 0 ? 1 : -1)
                Rectangle { visible: crosshair.containsMouse; x: crosshair.mouseX; width: 1; height: parent.height; color: Theme.textDim; opacity: 0.6 }
                Rectangle { visible: crosshair.containsMouse; y: crosshair.mouseY; height: 1; width: parent.width; color: Theme.textDim; opacity: 0.6 }
            }
            // Price alerts: lines (drag to move), right-click for an alert at a price, Alt+drag
            // or a drag from the price axis (below) for a new one.
            AlertLines {
                id: alertLines
                x: priceChart.plotArea.x
                y: priceChart.plotArea.y
                width: priceChart.plotArea.width
                height: priceChart.plotArea.height
                symbol: panel.symbol
                tickSize: panel.tickSize
                minPrice: feeder.minPrice
                maxPrice: feeder.maxPrice
                lastPrice: feeder.pointCount > 0 ? feeder.lastPrice : 0
                onDialogRequested: (level) => panel.alertDialogRequested(level)
            }
            MouseArea {
                objectName: "alertAxisArea"
                x: priceChart.plotArea.x + priceChart.plotArea.width
                y: priceChart.plotArea.y
                width: priceChart.width - x
                height: priceChart.plotArea.height
                cursorShape: Qt.SizeVerCursor
                preventStealing: true
                onPressed: (mouse) => alertLines.beginNew(mouse.y)
                onPositionChanged: (mouse) => alertLines.moveNew(mouse.y)
                onReleased: alertLines.dropNew()
                onCanceled: alertLines.cancelNew()
            }
            Text {
                x: priceChart.plotArea.x + 6
                y: priceChart.plotArea.y + 4
                visible: crosshair.candle.o !== undefined
                text: crosshair.candle.o === undefined ? ""
                      : qsTr("%1   O %2  H %3  L %4  C %5  V %6", "crosshair: time, open, high, low, close, volume")
                        .arg(Qt.formatDateTime(crosshair.candle.t, "yyyy-MM-dd hh:mm:ss"))
                        .arg(crosshair.candle.o).arg(crosshair.candle.h)
                        .arg(crosshair.candle.l).arg(crosshair.candle.c).arg(crosshair.candle.v)
                color: Theme.text
                font.family: Theme.monoFamily
                font.pixelSize: Theme.smallFont
            }
            Text {
                anchors.centerIn: parent
                visible: feeder.pointCount === 0
                text: Dashboard.feed.state === FeedClient.Live ? qsTr("Loading candles…") : qsTr("Waiting for the feed…")
                color: Theme.textDim
            }
        }

        // The volume pane shares the candle pane's x: the same axis range and the same plot
        // area left and right (alignVolumePane), so each bar sits under its candle.
        ChartView {
            id: volumeChart
            objectName: "volumeChart"
            visible: panel.view === "candles"
            Layout.fillWidth: true
            Layout.preferredHeight: Math.max(70, panel.height * 0.2)
            antialiasing: true
            legend.visible: false
            backgroundColor: Theme.panel
            plotAreaColor: Theme.panel
            margins { left: 4; right: 4; top: 0; bottom: 4 }
            animationOptions: ChartView.NoAnimation
            onPlotAreaChanged: panel.alignVolumePane()
            ValuesAxis {
                id: volumeTime
                min: timeAxis.min
                max: timeAxis.max
                visible: false
            }
            ValuesAxis { // ValueAxis under the name qmllint knows (priceAxis says why)
                id: volumeAxis
                min: 0
                max: feeder.maxVolume
                tickCount: 3
                labelsColor: Theme.textDim
                labelsFont.pixelSize: Theme.smallFont
                labelsFont.family: Theme.monoFamily
                gridLineColor: Theme.border
                lineVisible: false
            }
            AreaSeries {
                id: volumeArea
                axisX: volumeTime
                axisYRight: volumeAxis
                color: Theme.dark ? "#3a4c8dff" : "#401f6feb"
                borderColor: Theme.accent
                borderWidth: 0.5
                upperSeries: LineSeries { id: volumeUpper }
            }
            // The live candle's volume bar (see liveCandle above).
            Rectangle {
                objectName: "liveVolume"
                readonly property rect area: volumeChart.plotArea
                readonly property real sx: area.width / Math.max(1, volumeTime.max - volumeTime.min)
                visible: feeder.pointCount > 0
                x: area.x + (feeder.liveTime - volumeTime.min - 0.4 * feeder.intervalMs) * sx
                width: 0.8 * feeder.intervalMs * sx
                height: area.height * Math.min(1, feeder.liveVolume / feeder.maxVolume)
                y: area.y + area.height - height
                antialiasing: true
                color: volumeArea.color
                // The series' 0.5 px outline, as antialiasing draws it: a 1 px line at half alpha.
                border.color: Qt.alpha(volumeArea.borderColor, 0.5)
                border.width: 1
            }
        }

        // RSI and MACD, each in its own pane under the volume, on the candle pane's x.
        Repeater {
            model: chartIndicators
            delegate: IndicatorPane {
                required property int index
                required property bool ownPane
                row: index
                visible: ownPane
                Layout.fillWidth: true
                Layout.preferredHeight: ownPane ? Math.max(60, panel.height * 0.14) : 0
                indicators: chartIndicators
                minTime: feeder.minTime
                maxTime: feeder.maxTime
                plotX: priceChart.plotArea.x
                plotWidth: priceChart.plotArea.width
                colors: panel.indicatorColors
            }
        }
        DepthView {
            objectName: "depthView"
            visible: panel.view === "depth"
            Layout.fillWidth: true
            Layout.fillHeight: true
            depth: panel.isSecond ? Dashboard.market.secondDepth : Dashboard.market.depth
            priceDecimals: panel.priceDecimals
        }
    }

    Settings {
        category: panel.isSecond ? "charts/second" : "chart"
        property alias view: panel.view
    }
    // The second chart's depth tab needs its symbol's book: the store keeps and subscribes it
    // only while the tab is shown.
    Binding {
        when: panel.isSecond
        target: Dashboard.market
        property: "secondView"
        value: panel.view
    }
    Shortcut {
        sequences: Shortcuts.keys("depth")
        enabled: !panel.isSecond
        onActivated: panel.view = panel.view === "depth" ? "candles" : "depth"
    }
}
