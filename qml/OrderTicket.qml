pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The order ticket's view of Dashboard.ticket: side, type, quantity and price. Focusing a field
// selects its text (an empty limit price first takes the touch), so typing replaces it;
// Up/Down and the wheel step one tick (price) or one lot (quantity), PageUp/PageDown ten.
// Enter or the button submits; what is wrong shows under the field, refusals also as a toast.
Rectangle {
    id: ticket
    objectName: "orderTicket"
    color: Theme.panel
    readonly property OrderTicketController controller: Dashboard.ticket
    readonly property bool buying: controller.side === OrderTicketController.Buy
    readonly property bool limit: controller.orderType === OrderTicketController.Limit
    // The server's trading mode (its welcome): "paper" on a live market, "demo" on its own.
    property string trading: Dashboard.feed.trading
    // Set by a refused submit: from then on empty fields say what they need too.
    property bool attempted: false
    implicitHeight: column.implicitHeight

    function focusSide(s) {
        controller.side = s === "sell" ? OrderTicketController.Sell : OrderTicketController.Buy
        qtyField.forceActiveFocus()
    }
    function setPrice(price, s) {
        controller.side = s === "sell" ? OrderTicketController.Sell : OrderTicketController.Buy
        controller.orderType = OrderTicketController.Limit
        controller.price = price
    }
    function submit() {
        const sent = controller.submit()
        attempted = !sent
        return sent
    }

    Connections {
        target: Dashboard.market
        function onSelectedSymbolChanged() { ticket.attempted = false }
    }

    component SideButton: AbstractButton {
        id: sideButton
        required property int side
        required property color accent
        Layout.fillWidth: true
        implicitHeight: 30
        checkable: true
        checked: ticket.controller.side === side
        onClicked: ticket.controller.side = side
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

    // A decimal field bound to one of the ticket's texts; focus selects it, keys and the
    // wheel step it.
    component TicketField: TextField {
        id: field
        required property string value
        required property string error
        signal edited(string text)
        signal stepped(int steps)
        signal focused()
        readonly property bool showError: error !== "" && (text !== "" || ticket.attempted)
        property real wheelRest: 0
        Layout.fillWidth: true
        text: value
        font.family: Theme.monoFamily
        validator: RegularExpressionValidator { regularExpression: /^\d{0,12}(\.\d{0,12})?$/ }
        onTextEdited: edited(text)
        onAccepted: ticket.submit()
        // A click places the cursor before it gives the focus, so this selection stays.
        onActiveFocusChanged: if (activeFocus) {
            focused()
            selectAll()
        }
        function step(n) {
            stepped(n)
            selectAll()
        }
        Keys.onUpPressed: step(1)
        Keys.onDownPressed: step(-1)
        Keys.onPressed: (event) => {
            if (event.key === Qt.Key_PageUp || event.key === Qt.Key_PageDown) {
                step(event.key === Qt.Key_PageUp ? 10 : -10)
                event.accepted = true
            }
        }
        WheelHandler {
            acceptedDevices: PointerDevice.Mouse | PointerDevice.TouchPad
            onWheel: (event) => {
                field.wheelRest += event.angleDelta.y
                const notches = field.wheelRest > 0 ? Math.floor(field.wheelRest / 120)
                                                    : Math.ceil(field.wheelRest / 120)
                if (notches !== 0) {
                    field.wheelRest -= notches * 120
                    field.step(notches)
                }
            }
        }
        Rectangle { // the style's frame, in red while the field's error shows
            anchors.fill: parent
            color: "transparent"
            border.color: Theme.down
            visible: field.showError
        }
    }

    component FieldError: Label {
        required property TicketField field
        Layout.fillWidth: true
        Layout.topMargin: -2
        visible: field.visible && field.showError
        text: field.error
        color: Theme.down
        font.pixelSize: Theme.smallFont
        wrapMode: Text.Wrap
    }

    ColumnLayout {
        id: column
        anchors.fill: parent
        spacing: 6
        PanelHeader {
            title: qsTr("Order · %1").arg(ticket.controller.symbol)
            Layout.fillWidth: true
            Label {
                objectName: "paperMark"
                readonly property string explanation: qsTr("Paper trading: your orders are filled in simulation against the exchange's real prices and visible depth. Nothing is sent to the exchange.")
                visible: ticket.trading === "paper"
                text: qsTr("PAPER")
                color: Theme.warn
                font.pixelSize: Theme.smallFont - 1
                font.bold: true
                leftPadding: 5
                rightPadding: 5
                background: Rectangle { color: "transparent"; border.color: Theme.warn; radius: 3 }
                HoverHandler { id: paperHover }
                ToolTip.visible: paperHover.hovered
                ToolTip.delay: 300
                ToolTip.text: explanation
                Accessible.description: explanation
            }
        }
        RowLayout {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            spacing: 4
            SideButton { objectName: "buyButton"; side: OrderTicketController.Buy; text: qsTr("Buy"); accent: Theme.up }
            SideButton { objectName: "sellButton"; side: OrderTicketController.Sell; text: qsTr("Sell"); accent: Theme.down }
        }
        RowLayout {
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            spacing: 12
            RadioButton {
                objectName: "limitButton"
                text: qsTr("Limit")
                checked: ticket.limit
                onClicked: ticket.controller.orderType = OrderTicketController.Limit
                palette.windowText: Theme.text
            }
            RadioButton {
                objectName: "marketButton"
                text: qsTr("Market")
                checked: !ticket.limit
                onClicked: ticket.controller.orderType = OrderTicketController.Market
                palette.windowText: Theme.text
            }
        }
        GridLayout {
            columns: 2
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            columnSpacing: 8
            rowSpacing: 4
            Label { text: qsTr("Qty"); color: Theme.textDim }
            TicketField {
                id: qtyField
                objectName: "qtyField"
                value: ticket.controller.quantity
                error: ticket.controller.quantityError
                placeholderText: ticket.controller.lotSize !== "" ? qsTr("Lot %1").arg(ticket.controller.lotSize) : ""
                onEdited: (text) => ticket.controller.quantity = text
                onStepped: (steps) => ticket.controller.stepQuantity(steps)
            }
            Item { visible: qtyError.visible } // the error goes under the field, not the label
            FieldError { id: qtyError; objectName: "qtyError"; field: qtyField }
            Label { text: qsTr("Price"); color: Theme.textDim; visible: ticket.limit }
            TicketField {
                id: priceField
                objectName: "priceField"
                visible: ticket.limit
                value: ticket.controller.price
                error: ticket.controller.priceError
                // A hint, never a value: it says which side of the book it is.
                placeholderText: ticket.controller.touchPrice === "" ? qsTr("Limit price")
                                 : (ticket.buying ? qsTr("Ask %1") : qsTr("Bid %1")).arg(ticket.controller.touchPrice)
                onEdited: (text) => ticket.controller.price = text
                onStepped: (steps) => ticket.controller.stepPrice(steps)
                // Focusing an empty limit price takes the touch, selected: typing replaces it.
                onFocused: if (ticket.controller.price === "") ticket.controller.stepPrice(0)
            }
            Item { visible: priceError.visible }
            FieldError { id: priceError; objectName: "priceError"; field: priceField }
            Label { text: qsTr("Notional"); color: Theme.textDim }
            Label {
                objectName: "notionalLabel"
                text: ticket.limit ? (ticket.controller.notional || "—")
                                   : (ticket.controller.notional ? qsTr("≈ %1 at market").arg(ticket.controller.notional) : qsTr("at market"))
                color: Theme.text
                font.family: Theme.monoFamily
            }
        }
        Button {
            objectName: "submitButton"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            // Input problems do not disable it: pressing it says what is missing.
            enabled: ticket.controller.tradingError === ""
            text: (ticket.buying ? qsTr("Buy %1  (Enter)") : qsTr("Sell %1  (Enter)")).arg(ticket.controller.symbol)
            palette.button: ticket.buying ? Theme.up : Theme.down
            palette.buttonText: "white"
            onClicked: ticket.submit()
        }
        Label {
            objectName: "ticketError"
            Layout.fillWidth: true
            Layout.leftMargin: Theme.spacing
            Layout.rightMargin: Theme.spacing
            wrapMode: Text.Wrap
            // A refusal already shown under its field is not repeated here.
            readonly property string refusal: ticket.controller.refusal === ticket.controller.quantityError
                                              || ticket.controller.refusal === ticket.controller.priceError
                                              ? "" : ticket.controller.refusal
            text: refusal || ticket.controller.tradingError
            color: Theme.down
            font.pixelSize: Theme.smallFont
            visible: text !== ""
        }
        Item { Layout.fillHeight: true }
    }
}
