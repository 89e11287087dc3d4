import QtQuick
import QtQuick.Controls
import Tickwire

// Short-lived notifications (fills, errors) stacked at the bottom right.
Column {
    id: toasts
    spacing: 6
    width: 360
    ListModel { id: items }
    function show(kind, text) {
        items.append({ kind: kind, text: text })
        if (items.count > 5)
            items.remove(0)
    }
    Repeater {
        model: items
        Rectangle {
            required property string kind
            required property string text
            required property int index
            width: toasts.width
            height: label.implicitHeight + 16
            radius: Theme.radius
            color: Theme.panelAlt
            border.color: kind === "fill" ? Theme.up : kind === "error" ? Theme.down : Theme.accent
            Label {
                id: label
                anchors.fill: parent
                anchors.margins: 8
                text: parent.text
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Timer { running: true; interval: 4000; onTriggered: items.remove(index) }
        }
    }
}
