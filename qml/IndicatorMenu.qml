pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The chart's indicators: each with its parameters (edited in place, applied when valid) and a
// remove button; buttons add one more of a kind with its default parameters. Keyboard: Tab moves
// between the fields and buttons, Up/Down step a field, Esc closes.
Popup {
    id: menu
    objectName: "indicatorMenu"
    required property ChartIndicators indicators
    property string error: ""
    padding: Theme.spacing
    focus: true
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    background: Rectangle { color: Theme.panel; border.color: Theme.border; radius: Theme.radius }

    function apply(row, name, value) {
        menu.error = menu.indicators.setParameter(row, name, value)
    }

    ColumnLayout {
        spacing: 6
        Text {
            text: qsTr("Indicators")
            color: Theme.text
            font.bold: true
        }
        Text {
            visible: menu.indicators.count === 0
            text: qsTr("None on this chart.")
            color: Theme.textDim
            font.pixelSize: Theme.smallFont
        }
        Repeater {
            model: menu.indicators
            delegate: RowLayout {
                id: entry
                objectName: "indicatorEntry"
                required property int index
                required property string kind
                required property string label
                required property int period
                required property double deviations
                required property int fast
                required property int slow
                required property int signal
                spacing: 4
                Text {
                    text: entry.label
                    color: Theme.text
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.smallFont
                    Layout.preferredWidth: 110
                }
                SpinBox {
                    objectName: "period"
                    visible: entry.kind !== "vwap" && entry.kind !== "macd"
                    from: 1; to: 500
                    value: entry.period
                    editable: true
                    font.pixelSize: Theme.smallFont
                    Accessible.name: qsTr("Period of %1").arg(entry.label)
                    onValueModified: menu.apply(entry.index, "period", value)
                }
                SpinBox {
                    objectName: "width"
                    visible: entry.kind === "bollinger"
                    // Tenths of a standard deviation.
                    from: 1; to: 100
                    value: Math.round(entry.deviations * 10)
                    editable: true
                    font.pixelSize: Theme.smallFont
                    textFromValue: (v, locale) => Number(v / 10).toLocaleString(locale, "f", 1)
                    valueFromText: (text, locale) => Math.round(Number.fromLocaleString(locale, text) * 10)
                    Accessible.name: qsTr("Width in standard deviations of %1").arg(entry.label)
                    onValueModified: menu.apply(entry.index, "k", value / 10)
                }
                Repeater {
                    model: entry.kind === "macd" ? [["fast", entry.fast], ["slow", entry.slow], ["signal", entry.signal]] : []
                    SpinBox {
                        required property var modelData
                        objectName: modelData[0]
                        from: 1; to: 500
                        value: modelData[1]
                        editable: true
                        font.pixelSize: Theme.smallFont
                        Accessible.name: qsTr("%1 period of %2").arg(modelData[0]).arg(entry.label)
                        onValueModified: menu.apply(entry.index, modelData[0], value)
                    }
                }
                ToolButton {
                    objectName: "removeIndicator"
                    text: "✕"
                    font.pixelSize: Theme.smallFont
                    Accessible.name: qsTr("Remove %1").arg(entry.label)
                    onClicked: menu.indicators.remove(entry.index)
                }
            }
        }
        Text {
            visible: menu.error !== ""
            text: menu.error
            color: Theme.down
            font.pixelSize: Theme.smallFont
        }
        Rectangle { Layout.fillWidth: true; height: 1; color: Theme.border }
        Text {
            text: qsTr("Add")
            color: Theme.textDim
            font.pixelSize: Theme.smallFont
        }
        Flow {
            Layout.fillWidth: true
            Layout.preferredWidth: 330
            spacing: 4
            Button { objectName: "add_sma"; focus: true; text: qsTr("SMA"); onClicked: menu.indicators.add("sma") }
            Button { objectName: "add_ema"; text: qsTr("EMA"); onClicked: menu.indicators.add("ema") }
            Button { objectName: "add_vwap"; text: qsTr("VWAP"); onClicked: menu.indicators.add("vwap") }
            Button { objectName: "add_bollinger"; text: qsTr("Bollinger"); onClicked: menu.indicators.add("bollinger") }
            Button { objectName: "add_rsi"; text: qsTr("RSI"); onClicked: menu.indicators.add("rsi") }
            Button { objectName: "add_macd"; text: qsTr("MACD"); onClicked: menu.indicators.add("macd") }
        }
    }
}
