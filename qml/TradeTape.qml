pragma ComponentBehavior: Bound
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
            model: Dashboard.market.tape
            boundsBehavior: Flickable.StopAtBounds
            // Under a fast feed every frame inserts more trades than fit, so every visible row is
            // a new one: reuse the delegates instead of creating and destroying them each frame.
            reuseItems: true
            // Only the rows on screen: the default 320 px cache holds twice as many off screen,
            // all of them new every frame under a fast feed.
            cacheBuffer: 0
            ScrollBar.vertical: ScrollBar {}
            // Time, price, size: painted as one item (under load every visible row is new each frame).
            readonly property var cellColumns: {
                const small = Qt.font({ family: Theme.monoFamily, pixelSize: Theme.smallFont })
                const mono = Qt.font({ family: Theme.monoFamily, pixelSize: Theme.fontSize })
                return [{ width: width * 0.34, leftPadding: 6, font: small },
                        { width: width * 0.33, align: "right", font: mono },
                        { width: width * 0.33, align: "right", rightPadding: 6, font: mono }]
            }
            delegate: CellRow {
                id: trade
                // Time, price, qty and the price's colour (the aggressor's side) are read from the
                // model here, in C++: a reused delegate gets only its new index through QML.
                required property int index
                width: ListView.view.width
                height: 18
                background: Theme.panel // opaque: every visible row is new each frame
                columns: tape.cellColumns
                model: Dashboard.market.tape
                row: index
                cellsRole: "cells"
                fields: [0, 1, 2]
                colors: [Theme.textDim, Theme.text, Theme.text]
                trendRole: "direction"
                trendColumns: [1]
                upColor: Theme.up
                downColor: Theme.down
                Accessible.role: Accessible.Row
                Accessible.name: joinedText
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
