pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Tickwire

// Short-lived notifications (fills, errors) stacked at the bottom right. A toast with a key
// replaces the visible one with the same key and starts its time again, so the partial fills
// of one order are one toast that follows them, and a refusal repeated word for word is one
// toast that counts (×3).
Column {
    id: toasts
    spacing: 6
    width: 360
    readonly property int maxVisible: 4
    ListModel { id: items }
    property int nextStamp: 0

    function show(kind, text, key) {
        const stamp = ++nextStamp
        if (key) {
            for (let i = 0; i < items.count; ++i) {
                const shown = items.get(i)
                if (shown.key === key) {
                    // The same words again count up on the one toast instead of looking unchanged.
                    const repeats = shown.kind === kind && shown.text === text ? shown.repeats + 1 : 1
                    items.set(i, { kind: kind, text: text, key: key, stamp: stamp, repeats: repeats })
                    return
                }
            }
        }
        items.append({ kind: kind, text: text, key: key || "", stamp: stamp, repeats: 1 })
        if (items.count > maxVisible)
            items.remove(0)
    }
    function expire(stamp) {
        for (let i = 0; i < items.count; ++i) {
            if (items.get(i).stamp === stamp) {
                items.remove(i)
                return
            }
        }
    }

    Repeater {
        model: items
        Rectangle {
            id: toast
            required property string kind
            required property string text
            required property int stamp
            required property int repeats
            width: toasts.width
            height: label.implicitHeight + 16
            radius: Theme.radius
            color: Theme.panelAlt
            border.color: kind === "fill" ? Theme.up : kind === "error" ? Theme.down : kind === "alert" ? Theme.warn : Theme.accent
            Label {
                id: label
                anchors.fill: parent
                anchors.margins: 8
                anchors.rightMargin: count.visible ? count.width + 12 : 8
                text: toast.text
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Label {
                id: count
                objectName: "repeatCount"
                anchors.right: parent.right
                anchors.rightMargin: 8
                anchors.top: parent.top
                anchors.topMargin: 8
                visible: toast.repeats > 1
                text: qsTr("×%1").arg(toast.repeats)
                color: Theme.textDim
                font.bold: true
            }
            MouseArea { anchors.fill: parent; onClicked: toasts.expire(toast.stamp) }
            Timer {
                id: life
                running: true
                interval: toast.kind === "error" || toast.kind === "alert" ? 8000 : 4000
                onTriggered: toasts.expire(toast.stamp)
            }
            onStampChanged: life.restart()
        }
    }
}
