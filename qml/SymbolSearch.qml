pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// Ctrl+K: type to search symbols and names, arrows to move, Enter to chart the symbol (and
// add it to the watchlist), Esc to close.
Popup {
    id: popup
    objectName: "symbolSearch"
    readonly property var results: Dashboard.symbolSearch
    property int current: 0
    signal chosen(string symbol)
    modal: true
    focus: true
    width: 420
    height: 360
    padding: 0
    x: (parent.width - width) / 2
    y: 80
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside

    onOpened: { field.text = ""; refresh(); field.forceActiveFocus() }
    function refresh() {
        results.query = field.text
        current = 0
    }
    function accept() {
        if (results.count === 0)
            return
        popup.chosen(results.symbolAt(current))
        popup.close()
    }

    background: Rectangle { color: Theme.panel; border.color: Theme.border; radius: Theme.radius }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        TextField {
            id: field
            objectName: "searchField"
            Layout.fillWidth: true
            Layout.margins: 8
            placeholderText: qsTr("Symbol or name…")
            onTextChanged: popup.refresh()
            Keys.onDownPressed: popup.current = Math.min(popup.results.count - 1, popup.current + 1)
            Keys.onUpPressed: popup.current = Math.max(0, popup.current - 1)
            Keys.onReturnPressed: popup.accept()
            Keys.onEnterPressed: popup.accept()
        }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: popup.results
            currentIndex: popup.current
            delegate: Rectangle {
                id: result
                required property string symbol
                required property string name
                required property int index
                width: ListView.view.width
                height: 28
                color: index === popup.current ? Theme.selection : "transparent"
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 12
                    anchors.rightMargin: 12
                    Label { text: result.symbol; color: Theme.text; font.bold: true; Layout.preferredWidth: 100 }
                    Label { text: result.name; color: Theme.textDim; Layout.fillWidth: true; elide: Text.ElideRight }
                }
                MouseArea {
                    anchors.fill: parent
                    onClicked: { popup.current = result.index; popup.accept() }
                }
            }
            Label {
                anchors.centerIn: parent
                visible: popup.results.count === 0
                text: qsTr("No match")
                color: Theme.textDim
            }
        }
    }
}
