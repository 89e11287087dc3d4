import QtQuick
import QtTest
import Tickwire

// The order ticket against the real embedded demo feed: lot/tick validation, notional,
// keyboard submit, and the server's answer shown next to the ticket.
Item {
    id: root
    width: 400
    height: 400

    OrderTicket {
        id: ticket
        anchors.fill: parent
    }

    TestCase {
        name: "OrderTicket"
        when: windowShown

        function initTestCase() {
            Dashboard.start()
            tryVerify(() => Dashboard.feed.state === FeedClient.Live, 15000, "feed never went live")
            Dashboard.selectedSymbol = "ETH-USD"
            tryVerify(() => Dashboard.lotSize !== "" && Dashboard.tickSize !== "", 5000)
        }

        function test_touchPriceIsTheHintAndFocusTakesIt() {
            // Needs a quote of the selected symbol (the default watchlist has ETH-USD).
            tryVerify(() => Dashboard.touchPrice("buy") !== "", 10000, "no quote for ETH-USD")
            const ask = Number(Dashboard.touchPrice("buy"))
            const bid = Number(Dashboard.touchPrice("sell"))
            verify(bid > 0 && bid < ask, bid + " / " + ask)
            ticket.orderType = "limit"
            ticket.side = "sell"
            ticket.priceText = ""
            const price = findChild(ticket, "priceField")
            compare(price.placeholderText, Dashboard.touchPrice("sell"))
            findChild(ticket, "qtyField").forceActiveFocus()
            price.forceActiveFocus() // tabbing into an empty price takes the bid for a sell
            compare(ticket.priceText, Dashboard.touchPrice("sell"))
            ticket.side = "buy"
        }

        function test_lotAndTickValidation() {
            ticket.orderType = "limit"
            ticket.qtyText = "0.00001"
            ticket.priceText = "3000.00"
            verify(ticket.validate().indexOf("multiple of " + Dashboard.lotSize) >= 0, ticket.validate())
            ticket.qtyText = "0.5"
            compare(ticket.validate(), "")
            ticket.priceText = "3000.001"
            verify(ticket.validate().indexOf("multiple of " + Dashboard.tickSize) >= 0, ticket.validate())
            ticket.priceText = "3000.00"
            compare(ticket.validate(), "")
        }

        function test_notional() {
            ticket.orderType = "limit"
            ticket.qtyText = "0.5"
            ticket.priceText = "3000.10"
            const label = findChild(ticket, "notionalLabel")
            compare(label.text, "1500.05")
        }

        function test_arrowKeysSnapToLot() {
            const qty = findChild(ticket, "qtyField")
            ticket.qtyText = "0.5"
            qty.forceActiveFocus()
            keyClick(Qt.Key_Up)
            compare(Dashboard.snapQty(ticket.qtyText), ticket.qtyText)
            verify(Number(ticket.qtyText) > 0.5)
        }

        function test_submitWithEnterReachesTheServer() {
            ticket.side = "buy"
            ticket.orderType = "limit"
            ticket.qtyText = "0.5"
            ticket.priceText = "1.00" // far below the market: rests
            const price = findChild(ticket, "priceField")
            price.forceActiveFocus()
            const acked = signalSpy.createObject(root, { target: Dashboard.feed, signalName: "orderAcknowledged" }) as SignalSpy
            keyClick(Qt.Key_Return)
            compare(ticket.error, "")
            acked.wait(10000)
            compare(acked.count, 1)
        }

        function test_serverErrorShownAtTheTicket() {
            ticket.side = "sell"
            ticket.orderType = "limit"
            ticket.qtyText = "1000000"
            ticket.priceText = "999999.00" // over the account's notional limit
            const failed = signalSpy.createObject(root, { target: Dashboard.feed, signalName: "orderRequestFailed" }) as SignalSpy
            verify(ticket.submit())
            failed.wait(10000)
            verify(ticket.error.indexOf("notional") >= 0, ticket.error)
            const errorLabel = findChild(ticket, "ticketError")
            verify(errorLabel.visible)
        }

        function test_marketOrderNeedsNoPrice() {
            ticket.orderType = "market"
            ticket.qtyText = "0.1"
            ticket.priceText = ""
            compare(ticket.validate(), "")
        }
    }

    Component { id: signalSpy; SignalSpy {} }
}
