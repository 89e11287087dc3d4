pragma ComponentBehavior: Bound
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
        PanelHeader {
            title: qsTr("Order book")
            Layout.fillWidth: true
            // Grouping: price buckets of 1, 10, 100 or 1000 ticks (those sensible for the
            // instrument), saved per symbol. Ctrl+] coarser, Ctrl+[ finer.
            Repeater {
                objectName: "bookGrouping"
                model: Dashboard.market.bookGroupingChoices
                ToolButton {
                    required property int modelData
                    objectName: "group" + modelData
                    // The price step; selectedTickSize ties the label to the instrument.
                    text: Dashboard.market.selectedTickSize === "" ? modelData
                          : Dashboard.market.bookGroupingLabel(modelData)
                    checkable: true
                    checked: Dashboard.market.bookGrouping === modelData
                    font.pixelSize: Theme.smallFont
                    font.bold: checked
                    leftPadding: 5
                    rightPadding: 5
                    implicitHeight: 24
                    ToolTip.visible: hovered
                    ToolTip.text: modelData === 1 ? qsTr("Every price level")
                                                  : qsTr("Group the book by %n ticks", "", modelData)
                    onClicked: Dashboard.market.bookGrouping = modelData
                }
            }
        }
        Row {
            Layout.fillWidth: true
            Layout.preferredHeight: 18
            Repeater {
                model: [qsTr("Mine"), qsTr("Size"), qsTr("Price"), qsTr("Total")]
                Text {
                    required property string modelData
                    required property int index
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
            model: Dashboard.market.book
            boundsBehavior: Flickable.StopAtBounds
            interactive: contentHeight > height
            // Asks fill the top half of the rows and bids the bottom half: keep the spread in
            // the middle of whatever height the panel has.
            function centre() {
                if (count > 0)
                    contentY = Math.max(0, Math.min(contentHeight - height, count / 2 * 19 - height / 2))
            }
            // The four columns of a level's CellRow; the price is bold on the best bid and ask.
            function columnsFor(best) {
                const mono = Qt.font({ family: Theme.monoFamily, pixelSize: Theme.fontSize })
                const price = Qt.font({ family: Theme.monoFamily, pixelSize: Theme.fontSize, bold: best })
                const w = width / 4
                return [{ width: w, align: "right", rightPadding: 6, font: mono },
                        { width: w, align: "right", rightPadding: 6, font: mono },
                        { width: w, align: "center", font: price },
                        { width: w, align: "right", rightPadding: 6, font: mono }]
            }
            readonly property var cellColumns: columnsFor(false)
            readonly property var bestCellColumns: columnsFor(true)
            onHeightChanged: centre()
            onCountChanged: centre()
            Component.onCompleted: centre()
            delegate: Item {
                id: level
                required property int index
                // Fixed for a row (asks over bids); isBest and hasLevel change rarely. The level's
                // texts and depth are read from the model by its CellRow, not through the QML engine.
                required property string side
                required property bool isBest
                required property bool hasLevel
                readonly property bool ask: side === "sell"
                width: ListView.view.width
                height: 19

                // Mine, size, price, total and the depth bar: painted as one opaque item (every
                // level can change each frame).
                CellRow {
                    id: cells
                    objectName: "bookCells"
                    anchors.fill: parent
                    background: Theme.panel
                    columns: level.isBest ? ladder.bestCellColumns : ladder.cellColumns
                    model: Dashboard.market.book
                    row: level.index
                    cellsRole: "cells"
                    fields: [0, 1, 2, 3]
                    colors: [Theme.warn, Theme.text, level.ask ? Theme.down : Theme.up, Theme.textDim]
                    barRole: "depthFraction"
                    barColor: level.ask ? Theme.downBg : Theme.upBg
                    Accessible.role: Accessible.Row
                    Accessible.name: joinedText
                }
                Rectangle {
                    visible: level.isBest && level.ask
                    anchors.bottom: parent.bottom
                    width: parent.width; height: 1
                    color: Theme.border
                }
                MouseArea {
                    anchors.fill: parent
                    enabled: level.hasLevel
                    cursorShape: Qt.PointingHandCursor
                    onClicked: panel.priceClicked(cells.value("price"), level.ask ? "buy" : "sell")
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

    Shortcut {
        sequences: Shortcuts.keys("groupCoarser")
        onActivated: Dashboard.market.stepBookGrouping(1)
    }
    Shortcut {
        sequences: Shortcuts.keys("groupFiner")
        onActivated: Dashboard.market.stepBookGrouping(-1)
    }
}
