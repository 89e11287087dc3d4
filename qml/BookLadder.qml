import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The order book ladder: asks above bids, depth bars, cumulative size and the account's own
// orders at each level. Clicking a level hands its price to the order ticket.
Rectangle {
    id: panel
    signal priceClicked(string price, string side)
    color: Theme.panel

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        PanelHeader { title: qsTr("Order book"); Layout.fillWidth: true }
        Row {
            Layout.fillWidth: true
            Layout.preferredHeight: 18
            Repeater {
                model: [qsTr("Mine"), qsTr("Size"), qsTr("Price"), qsTr("Total")]
                Text {
                    width: ladder.width / 4
                    horizontalAlignment: index === 2 ? Text.AlignHCenter : Text.AlignRight
                    rightPadding: 6
                    text: modelData
                    color: Theme.textDim
                    font.pixelSize: Theme.smallFont
                }
            }
        }
        ListView {
            id: ladder
            objectName: "bookLadder"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Dashboard.book
            boundsBehavior: Flickable.StopAtBounds
            interactive: contentHeight > height
            // Asks fill the top half of the rows and bids the bottom half: keep the spread in
            // the middle of whatever height the panel has.
            function centre() {
                if (count > 0)
                    contentY = Math.max(0, Math.min(contentHeight - height, count / 2 * 19 - height / 2))
            }
            onHeightChanged: centre()
            onCountChanged: centre()
            Component.onCompleted: centre()
            delegate: Item {
                id: level
                required property string price
                required property string size
                required property string cumulativeSize
                required property double depthFraction
                required property string ownQty
                required property string side
                required property bool isBest
                required property bool hasLevel
                readonly property bool ask: side === "sell"
                width: ListView.view.width
                height: 19

                Rectangle {
                    anchors.right: parent.right
                    height: parent.height - 1
                    width: parent.width * level.depthFraction
                    color: level.ask ? Theme.downBg : Theme.upBg
                }
                Rectangle {
                    visible: level.isBest && level.ask
                    anchors.bottom: parent.bottom
                    width: parent.width; height: 1
                    color: Theme.border
                }
                Row {
                    anchors.fill: parent
                    Text {
                        width: level.width / 4
                        horizontalAlignment: Text.AlignRight
                        rightPadding: 6
                        text: level.ownQty
                        color: Theme.warn
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSize
                    }
                    Text {
                        width: level.width / 4
                        horizontalAlignment: Text.AlignRight
                        rightPadding: 6
                        text: level.size
                        color: Theme.text
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSize
                    }
                    Text {
                        width: level.width / 4
                        horizontalAlignment: Text.AlignHCenter
                        text: level.price
                        color: level.ask ? Theme.down : Theme.up
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSize
                        font.bold: level.isBest
                    }
                    Text {
                        width: level.width / 4
                        horizontalAlignment: Text.AlignRight
                        rightPadding: 6
                        text: level.cumulativeSize
                        color: Theme.textDim
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.fontSize
                    }
                }
                MouseArea {
                    anchors.fill: parent
                    enabled: level.hasLevel
                    cursorShape: Qt.PointingHandCursor
                    onClicked: panel.priceClicked(level.price, level.ask ? "buy" : "sell")
                }
            }
            Text {
                anchors.centerIn: parent
                visible: ladder.count === 0
                text: qsTr("No book yet")
                color: Theme.textDim
            }
        }
    }
}
