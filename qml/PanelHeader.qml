import QtQuick
import QtQuick.Layouts
import Tickwire

// The title strip of a panel: a caption on the left, optional controls on the right.
Rectangle {
    id: header
    property string title
    default property alias controls: row.data
    implicitHeight: 28
    color: Theme.panelAlt
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }
    Text {
        anchors.left: parent.left
        anchors.leftMargin: Theme.spacing
        anchors.verticalCenter: parent.verticalCenter
        text: header.title
        color: Theme.textDim
        font.pixelSize: Theme.smallFont
        font.bold: true
        font.capitalization: Font.AllUppercase
    }
    RowLayout {
        id: row
        anchors.right: parent.right
        anchors.rightMargin: 4
        anchors.verticalCenter: parent.verticalCenter
        spacing: 2
    }
}
