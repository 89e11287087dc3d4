import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// Time and sales of the selected symbol, newest first.
Rectangle {
    id: panel
    color: Theme.panel
    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        PanelHeader { title: qsTr("Trades"); Layout.fillWidth: true }
        ListView {
            id: tape
            objectName: "tradeTape"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Dashboard.tape
            boundsBehavior: Flickable.StopAtBounds
            // Under a fast feed every frame inserts more trades than fit, so every visible row is
            // a new one: reuse the delegates instead of creating and destroying them each frame.
            reuseItems: true
            // Only the rows on screen: the default 320 px cache holds twice as many off screen,
            // all of them new every frame under a fast feed.
            cacheBuffer: 0
            ScrollBar.vertical: ScrollBar {}
            delegate: Row {
                id: trade
                required property string timeText
                required property string price
                required property string qty
                required property string side
                width: ListView.view.width
                height: 18
                Text {
                    width: trade.width * 0.34
                    leftPadding: 6
                    text: trade.timeText
                    color: Theme.textDim
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.smallFont
                }
                Text {
                    width: trade.width * 0.33
                    horizontalAlignment: Text.AlignRight
                    text: trade.price
                    color: trade.side === "buy" ? Theme.up : Theme.down
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSize
                }
                Text {
                    width: trade.width * 0.33
                    horizontalAlignment: Text.AlignRight
                    rightPadding: 6
                    text: trade.qty
                    color: Theme.text
                    font.family: Theme.monoFamily
                    font.pixelSize: Theme.fontSize
                }
            }
            Text {
                anchors.centerIn: parent
                visible: tape.count === 0
                text: qsTr("No trades yet")
                color: Theme.textDim
            }
        }
    }
}
