pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The order ticket: side, type, quantity and price snapped to the instrument's lot and tick,
// estimated notional, Enter to submit; server errors appear under the ticket.
Rectangle {
    id: ticket
    objectName: "orderTicket"
    color: Theme.panel
    property string side: "buy"
    property string orderType: "limit"
    property alias qtyText: qtyField.text
    property alias priceText: priceField.text
    property string error: ""
    implicitHeight: column.implicitHeight

    function focusSide(s) {
        side = s
        qtyField.forceActiveFocus()
        qtyField.selectAll()
    }
    function setPrice(price, s) {
        priceText = price
        if (s)
            side = s
        orderType = "limit"
    }
    function submit() {
        error = Dashboard.placeOrder(side, orderType, qtyField.text, priceField.text)
        return error === ""
    }
    function validate() {
        return Dashboard.checkQty(qtyField.text) || (orderType === "limit" ? Dashboard.checkPrice(priceField.text) : "")
    }

    // Why the ticket cannot send right now; empty when it can.
    readonly property string blocker: Dashboard.feed.state !== FeedClient.Live
                                      ? qsTr("Not connected: orders are never queued")
                                      : !Dashboard.hasAccount ? qsTr("Read-only: set a token in Settings to trade")
                                      : ""

    component SideButton: AbstractButton {
        id: sideButton
        required property string side
        required property color accent
        Layout.fillWidth: true
        implicitHeight: 30
        checkable: true
        checked: ticket.side === side
        onClicked: ticket.side = side
        background: Rectangle {
            radius: 3
            color: sideButton.checked ? sideButton.accent : Theme.panelAlt
            border.color: sideButton.checked ? sideButton.accent : Theme.border
        }
        contentItem: Text {
            text: sideButton.text
            color: sideButton.checked ? "white" : Theme.text
            font.bold: sideButton.checked
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
    }

    Connections {
        target: Dashboard
        function onSelectedSymbolChanged() { ticket.error = ""; priceField.text = "" }
    }
    Connections {
        target: Dashboard.feed
        function onOrderRequestFailed(clientOrderId, code, message) { ticket.error = message }
        function onOrderAcknowledged(clientOrderId, orderId) { ticket.error = "" }
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: 6
        PanelHeader { title: qsTr("Order · %1").arg(Dashboard.selectedSymbol); Layout.fillWidth: true }
        RowLayout {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            spacing: 4
            SideButton { objectName: "buyButton"; side: "buy"; text: qsTr("Buy"); accent: Theme.up }
            SideButton { objectName: "sellButton"; side: "sell"; text: qsTr("Sell"); accent: Theme.down }
        }
        RowLayout {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            spacing: 12
            RadioButton { text: qsTr("Limit"); checked: ticket.orderType === "limit"; onClicked: ticket.orderType = "limit"; palette.windowText: Theme.text }
            RadioButton { text: qsTr("Market"); checked: ticket.orderType === "market"; onClicked: ticket.orderType = "market"; palette.windowText: Theme.text }
        }
        GridLayout {
            columns: 2
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            columnSpacing: 8
            rowSpacing: 4
            Label { text: qsTr("Qty"); color: Theme.textDim }
            TextField {
                id: qtyField
                objectName: "qtyField"
                Layout.fillWidth: true
                placeholderText: Dashboard.lotSize
                font.family: Theme.monoFamily
                validator: RegularExpressionValidator { regularExpression: /^\d{0,12}(\.\d{0,12})?$/ }
                Keys.onUpPressed: text = Dashboard.snapQty(text === "" ? "0" : text, 1)
                Keys.onDownPressed: text = Dashboard.snapQty(text === "" ? "0" : text, -1)
                onAccepted: ticket.submit()

            }
            Label { text: qsTr("Price"); color: Theme.textDim; visible: ticket.orderType === "limit" }
            TextField {
                id: priceField
                objectName: "priceField"
                visible: ticket.orderType === "limit"
                Layout.fillWidth: true
                // The touch price as a hint; focusing an empty field takes it.
                placeholderText: Dashboard.framesFlushed >= 0 ? (Dashboard.touchPrice(ticket.side) || Dashboard.tickSize) : ""
                onActiveFocusChanged: if (activeFocus && text === "") text = Dashboard.touchPrice(ticket.side)
                font.family: Theme.monoFamily
                validator: RegularExpressionValidator { regularExpression: /^\d{0,12}(\.\d{0,12})?$/ }
                Keys.onUpPressed: text = Dashboard.snapPrice(text === "" ? (Dashboard.touchPrice(ticket.side) || "0") : text, 1)
                Keys.onDownPressed: text = Dashboard.snapPrice(text === "" ? (Dashboard.touchPrice(ticket.side) || "0") : text, -1)
                onAccepted: ticket.submit()

            }
            Label { text: qsTr("Notional"); color: Theme.textDim }
            Label {
                objectName: "notionalLabel"
                text: ticket.orderType === "limit" ? (Dashboard.notional(qtyField.text, priceField.text) || "—") : qsTr("at market")
                color: Theme.text
                font.family: Theme.monoFamily
            }
        }
        Button {
            objectName: "submitButton"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            enabled: ticket.blocker === "" && ticket.validate() === ""
            text: (ticket.side === "buy" ? qsTr("Buy ") : qsTr("Sell ")) + Dashboard.selectedSymbol + qsTr("  (Enter)")
            palette.button: ticket.side === "buy" ? Theme.up : Theme.down
            palette.buttonText: "white"
            onClicked: ticket.submit()
        }
        Label {
            objectName: "ticketError"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            wrapMode: Text.Wrap
            text: ticket.error !== "" ? ticket.error : (ticket.validate() || ticket.blocker)
            color: Theme.down
            font.pixelSize: Theme.smallFont
            visible: text !== ""
        }
        Item { Layout.fillHeight: true }
    }
}
