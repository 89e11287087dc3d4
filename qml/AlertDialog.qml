import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// A new price alert: symbol, what it watches (last, bid, ask, 24h change %), the condition, the
// level, what happens after it fires, a note. OK adds it to Dashboard.alerts; a refused value
// keeps the dialog open with the reason. openFor(symbol, level) prefills it.
Dialog {
    id: dialog
    objectName: "alertDialog"
    title: qsTr("New price alert")
    modal: true
    standardButtons: Dialog.Ok | Dialog.Cancel
    width: 440
    anchors.centerIn: parent

    property string error: ""
    readonly property bool percent: fieldBox.currentValue === "changePercent"

    function openFor(symbol, level) {
        error = ""
        symbolField.text = symbol
        fieldBox.currentIndex = 0
        conditionBox.currentIndex = 2
        levelField.text = level
        rearmBox.currentIndex = 0
        rearmField.text = ""
        noteField.text = ""
        open()
        levelField.forceActiveFocus()
        levelField.selectAll()
    }
    // Adds the alert; true when it was added, else `error` says why.
    function submit() {
        const id = Dashboard.alerts.addAlert(symbolField.text, fieldBox.currentValue,
                                             conditionBox.currentValue, levelField.text,
                                             rearmBox.currentValue, rearmField.text, noteField.text)
        error = id < 0 ? Dashboard.alerts.lastError() : ""
        return id >= 0
    }
    onAccepted: {
        if (!submit())
            reopen.start() // once the closing OK has finished
    }
    Timer {
        id: reopen
        interval: 0
        onTriggered: dialog.open()
    }

    GridLayout {
        anchors.fill: parent
        columns: 2
        columnSpacing: 10
        rowSpacing: 8
        Label { text: qsTr("Symbol") }
        TextField {
            id: symbolField
            objectName: "alertSymbolField"
            Layout.fillWidth: true
        }
        Label { text: qsTr("Watch") }
        ComboBox {
            id: fieldBox
            objectName: "alertFieldBox"
            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: [
                { value: "last", text: qsTr("Last price") },
                { value: "bid", text: qsTr("Bid") },
                { value: "ask", text: qsTr("Ask") },
                { value: "changePercent", text: qsTr("24h change %") }
            ]
        }
        Label { text: qsTr("When") }
        ComboBox {
            id: conditionBox
            objectName: "alertConditionBox"
            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: dialog.percent
                   ? [{ value: "up", text: qsTr("rises above") }, { value: "down", text: qsTr("falls below") },
                      { value: "either", text: qsTr("crosses") }]
                   : [{ value: "up", text: qsTr("crosses up") }, { value: "down", text: qsTr("crosses down") },
                      { value: "either", text: qsTr("crosses either way") }]
        }
        Label { text: dialog.percent ? qsTr("Level (%)") : qsTr("Price") }
        TextField {
            id: levelField
            objectName: "alertLevelField"
            Layout.fillWidth: true
            font.family: Theme.monoFamily
            placeholderText: dialog.percent ? qsTr("e.g. 5 or -2.5") : qsTr("e.g. 64012.50")
            onAccepted: dialog.accept()
        }
        Label { text: qsTr("Then") }
        ComboBox {
            id: rearmBox
            objectName: "alertRearmBox"
            Layout.fillWidth: true
            textRole: "text"
            valueRole: "value"
            model: [
                { value: "once", text: qsTr("Disable the alert") },
                { value: "hysteresis", text: qsTr("Re-arm after moving back by…") },
                { value: "cooldown", text: qsTr("Re-arm after seconds…") }
            ]
        }
        Label {
            visible: rearmField.visible
            text: rearmBox.currentValue === "cooldown" ? qsTr("Seconds") : qsTr("Distance")
        }
        TextField {
            id: rearmField
            objectName: "alertRearmField"
            visible: rearmBox.currentValue !== "once"
            Layout.fillWidth: true
            font.family: Theme.monoFamily
            placeholderText: rearmBox.currentValue === "cooldown" ? qsTr("e.g. 60") : qsTr("e.g. 25")
        }
        Label { text: qsTr("Note") }
        TextField {
            id: noteField
            objectName: "alertNoteField"
            Layout.fillWidth: true
        }
        Label { text: qsTr("Sound") }
        CheckBox {
            objectName: "alertSoundBox"
            text: qsTr("Beep when an alert fires")
            checked: Dashboard.alertNotifier.sound
            onToggled: Dashboard.alertNotifier.sound = checked
        }
        Label {
            objectName: "alertError"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: text !== ""
            text: dialog.error
            color: Theme.down
            wrapMode: Text.Wrap
        }
    }
}
