pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Tickwire

// The charted symbol's price alerts as horizontal lines over the price pane, each with a tag
// (its level, ↑ ↓ or ↕ for its condition); drag a line to move its level (snapped to the tick).
// A right-click on the pane offers an alert at that price; an Alt+drag on the pane (or a drag
// from the price axis, through beginNew/moveNew/dropNew) makes a new alert at the release
// price. Placed over the chart's plot area; prices map to y with the feeder's axis range, as
// the live candle does.
Item {
    id: lines
    objectName: "alertLines"
    clip: true
    required property string symbol
    required property string tickSize
    required property real minPrice
    required property real maxPrice
    required property real lastPrice
    // Asks for the alert dialog, prefilled with this level (exact text, may be empty).
    signal dialogRequested(string level)

    function yOf(price) { return (maxPrice - price) * height / Math.max(1e-12, maxPrice - minPrice) }
    function priceAt(y) { return maxPrice - y * (maxPrice - minPrice) / Math.max(1, height) }
    // The level a right-click at y means, snapped to the tick.
    function levelAt(y) { return Dashboard.alerts.snapToTick(priceAt(y), tickSize) }
    // An alert at `level` from the chart: crossing up when above the last price, down when
    // below (either way before the first price). Returns the new id or -1.
    function addAt(level) {
        const value = Number(level)
        const condition = lastPrice <= 0 ? "either" : value > lastPrice ? "up" : "down"
        const id = Dashboard.alerts.addAlert(symbol, "last", condition, level, "once", "", "")
        if (id < 0)
            Dashboard.toast("error", Dashboard.alerts.lastError(), "alert")
        return id
    }

    // A new alert dragged out: pressed at pressY, now at newPrice; it counts as a drag (and
    // makes an alert on release) once it moved dragDistance pixels, so a click makes none.
    // (Qt 6.4's qmltypes type Qt.styleHints as a plain QObject, which qmllint rejects.)
    readonly property int dragDistance: 4
    property real pressY: NaN
    property real newPrice: NaN
    readonly property bool draggingNew: !isNaN(newPrice)
    function beginNew(y: real) {
        pressY = y
        newPrice = NaN
    }
    function moveNew(y: real) {
        if (isNaN(pressY) || (!draggingNew && Math.abs(y - pressY) < dragDistance))
            return
        newPrice = priceAt(Math.max(0, Math.min(height, y)))
    }
    // Returns the new alert's id, or -1 (no drag, no symbol, refused).
    function dropNew(): int {
        const level = draggingNew && symbol !== "" ? Dashboard.alerts.snapToTick(newPrice, tickSize) : ""
        cancelNew()
        return level !== "" ? addAt(level) : -1
    }
    function cancelNew() {
        pressY = NaN
        newPrice = NaN
    }

    MouseArea {
        objectName: "alertChartMenuArea"
        anchors.fill: parent
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        preventStealing: true
        // A plain left press belongs to the chart's pan, below.
        onPressed: (mouse) => {
            if (mouse.button === Qt.LeftButton) {
                if (mouse.modifiers & Qt.AltModifier)
                    lines.beginNew(mouse.y)
                else
                    mouse.accepted = false
            }
        }
        onPositionChanged: (mouse) => lines.moveNew(mouse.y)
        onReleased: (mouse) => { if (mouse.button === Qt.LeftButton) lines.dropNew() }
        onCanceled: lines.cancelNew()
        onClicked: (mouse) => {
            if (mouse.button !== Qt.RightButton)
                return
            chartMenu.level = lines.levelAt(mouse.y)
            chartMenu.popup()
        }
    }
    // The alert being dragged out.
    Item {
        objectName: "newAlertPreview"
        visible: lines.draggingNew
        width: lines.width
        height: 17
        y: Math.round(Math.max(0, Math.min(lines.height - height, lines.yOf(lines.newPrice) - height / 2)))
        Rectangle {
            y: Math.floor(parent.height / 2)
            width: parent.width
            height: 1
            color: Qt.alpha(Theme.warn, 0.6)
        }
        Rectangle {
            anchors.verticalCenter: parent.verticalCenter
            x: 4
            width: previewText.implicitWidth + 8
            height: previewText.implicitHeight + 2
            radius: 2
            color: Qt.alpha(Theme.warn, 0.75)
            Text {
                id: previewText
                anchors.centerIn: parent
                text: qsTr("+ alert %1").arg(lines.draggingNew
                    ? (lines.lastPrice <= 0 ? "↕ " : lines.newPrice > lines.lastPrice ? "↑ " : "↓ ")
                      + Dashboard.alerts.grouped(Dashboard.alerts.snapToTick(lines.newPrice, lines.tickSize))
                    : "")
                color: "#1b1f24"
                font.family: Theme.monoFamily
                font.pixelSize: Theme.smallFont
            }
        }
    }
    Menu {
        id: chartMenu
        objectName: "alertChartMenu"
        property string level
        MenuItem {
            objectName: "alertAtPrice"
            text: qsTr("Alert at %1").arg(Dashboard.alerts.grouped(chartMenu.level))
            enabled: chartMenu.level !== "" && lines.symbol !== ""
            onTriggered: lines.addAt(chartMenu.level)
        }
        MenuItem {
            text: qsTr("New alert…")
            onTriggered: lines.dialogRequested(chartMenu.level)
        }
    }

    Repeater {
        model: Dashboard.alerts
        delegate: Item {
            id: line
            required property int alertId
            required property string symbol
            required property string field
            required property string condition
            required property string level
            required property real chartPrice
            required property bool enabled
            // A % change alert's line sits where the change reaches its level; dragged, it
            // sets the change at the release price.
            readonly property bool percent: field === "changePercent"
            property real dragPrice: NaN
            readonly property bool dragging: !isNaN(dragPrice)
            readonly property real rawY: lines.yOf(dragging ? dragPrice : chartPrice)
            function levelFor(price: real): string {
                return percent ? Dashboard.alerts.percentAt(symbol, price) : Dashboard.alerts.snapToTick(price, lines.tickSize)
            }
            // Outside the axis range: pinned to the edge, dimmed.
            readonly property bool outside: rawY < 0 || rawY > lines.height
            objectName: "alertLine_" + alertId
            // (Not the whole item's visibility: Qt 6.4's software renderer then keeps the line's
            // zero width from before the chart's first layout.)
            visible: symbol === lines.symbol && !isNaN(chartPrice) && lines.maxPrice > lines.minPrice
            x: 0
            width: lines.width
            height: 17
            // Pinned so that the whole tag shows.
            y: Math.round(Math.max(0, Math.min(lines.height - height, rawY - height / 2)))
            opacity: enabled ? (outside ? 0.6 : 1) : 0.4

            Rectangle {
                objectName: "alertLevelLine"
                y: Math.floor(line.height / 2)
                width: line.width
                height: 1
                // Not opaque: Qt 6.4's software renderer (offscreen, grabs) loses an opaque
                // rectangle over the ChartView's image when the chart re-renders.
                color: Qt.alpha(Theme.warn, 0.85)
            }
            Rectangle {
                id: tag
                objectName: "alertTag"
                anchors.verticalCenter: parent.verticalCenter
                x: 4
                width: tagText.implicitWidth + 8
                height: tagText.implicitHeight + 2
                radius: 2
                color: Theme.warn
                Text {
                    id: tagText
                    anchors.centerIn: parent
                    readonly property string shown: line.dragging ? line.levelFor(line.dragPrice) : line.level
                    text: (line.condition === "up" ? "↑ " : line.condition === "down" ? "↓ " : "↕ ")
                          + (line.percent ? qsTr("%1% 24h", "a 24 h change alert's line: its level in percent").arg(shown)
                                          : Dashboard.alerts.grouped(shown))
                    color: "#1b1f24"
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.smallFont
                }
            }
            MouseArea {
                objectName: "alertDragArea"
                anchors.fill: parent
                cursorShape: Qt.SizeVerCursor
                preventStealing: true
                onPressed: (mouse) => line.dragPrice = line.chartPrice
                onPositionChanged: (mouse) => {
                    const y = line.mapToItem(lines, mouse.x, mouse.y).y
                    line.dragPrice = lines.priceAt(Math.max(0, Math.min(lines.height, y)))
                }
                onReleased: {
                    const level = line.levelFor(line.dragPrice)
                    line.dragPrice = NaN
                    if (level !== "" && level !== line.level) {
                        const error = Dashboard.alerts.setLevel(line.alertId, level)
                        if (error !== "")
                            Dashboard.toast("error", error, "alert")
                    }
                }
                onCanceled: line.dragPrice = NaN
            }
        }
    }
}
