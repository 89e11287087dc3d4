import QtQuick
import Tickwire

// A symbol's depth chart: cumulative bid size (green, left of the mid) and ask size
// (red, right) against price, the mid line, and a hover readout of the level under the pointer
// (price, cumulative size, cumulative notional on that side). Computed in C++
// (Dashboard.market.depth, from the verified book) and painted by DepthChart.
Rectangle {
    id: view
    color: Theme.panel
    property int priceDecimals: 2
    required property DepthModel depth

    DepthChart {
        id: chart
        objectName: "depthChart"
        anchors.fill: parent
        anchors.margins: 4
        model: view.depth
        bidColor: Theme.up
        askColor: Theme.down
        midColor: Theme.textDim
        gridColor: Theme.border
        labelColor: Theme.textDim
        font.family: Theme.monoFamily
        font.pixelSize: Theme.smallFont
        priceDecimals: view.priceDecimals
    }
    Column {
        x: chart.x + chart.plotArea.x + 6
        y: chart.y + chart.plotArea.y + 2
        spacing: 2
        Text {
            objectName: "depthMid"
            visible: view.depth.hasMid
            text: qsTr("Mid %1").arg(view.depth.mid)
            color: Theme.text
            font.family: Theme.monoFamily
            font.pixelSize: Theme.smallFont
        }
        Text {
            objectName: "depthReadout"
            readonly property var readout: chart.readout
            visible: readout.price !== undefined
            text: readout.price === undefined ? ""
                  : (readout.side === "buy"
                     ? qsTr("Bids ≥ %1   size %2   notional %3", "depth hover: price, cumulative size, cumulative notional")
                     : qsTr("Asks ≤ %1   size %2   notional %3", "depth hover: price, cumulative size, cumulative notional"))
                    .arg(readout.price).arg(readout.cumulative).arg(readout.notional)
            color: readout.side === "buy" ? Theme.up : Theme.down
            font.family: Theme.monoFamily
            font.pixelSize: Theme.smallFont
        }
    }
    Text {
        anchors.centerIn: parent
        visible: view.depth.bidCount + view.depth.askCount === 0
        text: qsTr("No book yet")
        color: Theme.textDim
    }
}
