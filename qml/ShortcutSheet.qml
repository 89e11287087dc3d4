pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The shortcuts sheet: every entry of Shortcuts by group, over the window. Opened by ? (a text
// field with the focus takes the ? as text instead) or F1, closed by Esc or a click outside.
Item {
    id: sheet
    objectName: "shortcutSheet"
    readonly property bool opened: popup.opened
    function open() { popup.open() }
    function close() { popup.close() }
    // The sheet's items (the popup's, under the window's overlay), for tests.
    readonly property Item content: popup.contentItem

    Shortcut {
        sequences: Shortcuts.keys("sheet")
        onActivated: popup.opened ? popup.close() : popup.open()
        // ? and Shift+? are one key where the platform's key map offers both.
        onActivatedAmbiguously: popup.opened ? popup.close() : popup.open()
    }

    Popup {
        id: popup
        objectName: "shortcutSheetPopup"
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        focus: true
        closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
        padding: 20
        background: Rectangle { color: Theme.panel; border.color: Theme.border; radius: Theme.radius }
        Overlay.modal: Rectangle { color: Theme.dark ? "#99000000" : "#66000000" }

        ColumnLayout {
            spacing: 12
            RowLayout {
                Layout.fillWidth: true
                Text {
                    text: qsTr("Keyboard shortcuts")
                    color: Theme.text
                    font.bold: true
                    font.pixelSize: Theme.fontSize + 4
                }
                Item { Layout.fillWidth: true }
                Text {
                    text: qsTr("Esc to close")
                    color: Theme.textDim
                    font.pixelSize: Theme.smallFont
                }
            }
            GridLayout {
                columns: 3
                columnSpacing: 32
                rowSpacing: 16
                Repeater {
                    model: Shortcuts.groups
                    ColumnLayout {
                        id: group
                        required property int index
                        required property string modelData
                        Layout.alignment: Qt.AlignTop
                        Layout.preferredWidth: 410
                        spacing: 4
                        Text {
                            text: group.modelData
                            color: Theme.accent
                            font.bold: true
                            font.pixelSize: Theme.fontSize
                            Layout.bottomMargin: 2
                        }
                        Repeater {
                            model: Shortcuts.entries.filter(entry => entry.group === group.index)
                            RowLayout {
                                id: entryRow
                                required property var modelData
                                objectName: "shortcutEntry_" + modelData.name
                                spacing: 8
                                Row {
                                    Layout.preferredWidth: 130
                                    Layout.alignment: Qt.AlignTop
                                    spacing: 4
                                    Repeater {
                                        model: entryRow.modelData.keys
                                        Rectangle {
                                            id: keyCap
                                            required property string modelData
                                            width: Math.max(height, capText.implicitWidth + 10)
                                            height: capText.implicitHeight + 4
                                            radius: 3
                                            color: Theme.panelAlt
                                            border.color: Theme.border
                                            Text {
                                                id: capText
                                                anchors.centerIn: parent
                                                text: Shortcuts.keyText(keyCap.modelData)
                                                color: Theme.text
                                                font.family: Theme.monoFamily
                                                font.pixelSize: Theme.smallFont
                                            }
                                        }
                                    }
                                }
                                Text {
                                    Layout.fillWidth: true
                                    text: entryRow.modelData.text
                                    wrapMode: Text.Wrap
                                    color: Theme.text
                                    font.pixelSize: Theme.fontSize
                                }
                            }
                        }
                    }
                }
            }
            Text {
                text: qsTr("Mouse: drag an alert line to move it; drag from the price axis (or Alt+drag on the chart) for a new alert; right-click the chart for an alert at a price.")
                color: Theme.textDim
                font.pixelSize: Theme.smallFont
                wrapMode: Text.Wrap
                Layout.fillWidth: true
                Layout.maximumWidth: 3 * 410 + 2 * 32
            }
        }
    }
}
