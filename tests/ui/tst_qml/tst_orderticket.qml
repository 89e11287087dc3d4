import QtQuick
import QtTest
import Tickwire

// The order ticket against the real embedded demo feed, driven as a trader drives it: clicking
// and tabbing into the fields, typing, arrow keys and the wheel, Enter; the reasons shown at the
// fields, the server's answer at the ticket, and one toast for repeated refusals.
Item {
    id: root
    width: 400
    height: 600

    OrderTicket {
        id: ticket
        width: parent.width
        height: 380
    }
    Toasts {
        id: toasts
        anchors.bottom: parent.bottom
    }
    Connections {
        target: Dashboard
        function onToast(kind, text, key) { toasts.show(kind, text, key) }
    }

    TestCase {
        name: "OrderTicket"
        when: windowShown

        readonly property OrderTicketController controller: Dashboard.ticket

        function initTestCase() {
            Dashboard.start()
            tryVerify(() => Dashboard.feed.state === FeedClient.Live, 15000, "feed never went live")
            Dashboard.market.selectedSymbol = "ETH-USD"
            tryVerify(() => controller.lotSize !== "" && controller.tickSize !== "", 5000)
            // The steps below are written for these.
            compare(controller.tickSize, "0.01")
            compare(controller.lotSize, "0.001")
            // Needs a quote of the selected symbol (the default watchlist has ETH-USD).
            tryVerify(() => controller.touchPrice !== "", 10000, "no quote for ETH-USD")
        }

        function init() {
            root.forceActiveFocus()
            controller.side = OrderTicketController.Buy
            controller.orderType = OrderTicketController.Limit
            controller.quantity = ""
            controller.price = ""
            ticket.attempted = false
        }

        function field(name) { return findChild(ticket, name) }

        function typeText(text) {
            for (const c of text)
                keyClick(c)
        }

        // The toasts now shown whose text is `text`.
        function toastsWith(text) {
            const out = []
            for (let i = 0; i < toasts.children.length; ++i) {
                const c = toasts.children[i]
                if (c.kind !== undefined && c.text === text)
                    out.push(c)
            }
            return out
        }

        function test_placeholderIsAHintNotAValue() {
            const price = field("priceField")
            controller.side = OrderTicketController.Sell
            compare(price.text, "")
            compare(price.placeholderText, "Bid " + controller.touchPrice)
            controller.side = OrderTicketController.Buy
            tryCompare(price, "placeholderText", "Ask " + controller.touchPrice)
            compare(controller.price, "") // a hint is not a value
        }

        function test_clickIntoEmptyPriceTakesTheTouchSelected() {
            const price = field("priceField")
            mouseClick(price)
            verify(price.activeFocus)
            verify(controller.price !== "", "the touch was not taken")
            compare(price.text, controller.price)
            tryCompare(price, "selectedText", price.text) // after the click placed the cursor
            typeText("3150")
            compare(price.text, "3150") // replaced, not appended to the touch
            compare(controller.price, "3150")
        }

        function test_tabIntoEmptyPriceTakesTheTouchSelected() {
            const qty = field("qtyField")
            const price = field("priceField")
            controller.side = OrderTicketController.Sell
            mouseClick(qty)
            typeText("0.5")
            keyClick(Qt.Key_Tab)
            verify(price.activeFocus)
            tryCompare(price, "selectedText", price.text)
            verify(price.text !== "")
            compare(controller.priceError, "")
            typeText("3150")
            compare(price.text, "3150")
        }

        function test_focusSelectsTheQuantity() {
            const qty = field("qtyField")
            controller.quantity = "0.5"
            mouseClick(qty)
            tryCompare(qty, "selectedText", "0.5")
            typeText("2")
            compare(qty.text, "2")
            compare(controller.quantity, "2")
        }

        function test_arrowsStepByTickAndLot() {
            const price = field("priceField")
            controller.price = "3000.00"
            mouseClick(price)
            keyClick(Qt.Key_Up)
            compare(price.text, "3000.01")
            keyClick(Qt.Key_Down)
            keyClick(Qt.Key_Down)
            compare(price.text, "2999.99")
            keyClick(Qt.Key_PageUp)
            compare(price.text, "3000.09")
            keyClick(Qt.Key_PageDown)
            compare(price.text, "2999.99")
            compare(price.selectedText, price.text) // typing after a step replaces
            typeText("3100")
            compare(price.text, "3100")

            const qty = field("qtyField")
            controller.quantity = "1"
            mouseClick(qty)
            keyClick(Qt.Key_Up)
            compare(controller.quantity, "1.001")
            keyClick(Qt.Key_PageDown)
            compare(controller.quantity, "0.991")
        }

        function test_steppingAnEmptyPriceStartsAtTheTouch() {
            const price = field("priceField")
            mouseClick(price) // takes the touch
            keyClick(Qt.Key_Delete) // the whole selected text
            compare(controller.price, "")
            keyClick(Qt.Key_Up)
            verify(controller.price !== "")
            compare(controller.priceError, "")
            verify(Math.abs(Number(controller.price) - Number(controller.touchPrice)) < 5, controller.price)
        }

        function test_wheelSteps() {
            const price = field("priceField")
            controller.price = "3000.00"
            mouseWheel(price, price.width / 2, price.height / 2, 0, 120)
            compare(controller.price, "3000.01")
            mouseWheel(price, price.width / 2, price.height / 2, 0, -240)
            compare(controller.price, "2999.99")
            mouseWheel(price, price.width / 2, price.height / 2, 0, 60) // half a notch: not yet
            compare(controller.price, "2999.99")
            mouseWheel(price, price.width / 2, price.height / 2, 0, 60)
            compare(controller.price, "3000.00")
            const qty = field("qtyField")
            controller.quantity = "1"
            mouseWheel(qty, qty.width / 2, qty.height / 2, 0, 120)
            compare(controller.quantity, "1.001")
        }

        function test_enterOnOffTickPriceDoesNotSend() {
            const sent = signalSpy.createObject(root, { target: Dashboard.feed, signalName: "orderAcknowledged" }) as SignalSpy
            const failed = signalSpy.createObject(root, { target: Dashboard.feed, signalName: "orderRequestFailed" }) as SignalSpy
            controller.quantity = "0.5"
            const price = field("priceField")
            mouseClick(price)
            typeText("3150.001")
            const reason = field("priceError")
            verify(reason.visible, "no reason at the price field")
            compare(reason.text, "Price must be a multiple of 0.01")
            keyClick(Qt.Key_Return)
            keyClick(Qt.Key_Return)
            compare(controller.refusal, "Price must be a multiple of 0.01")
            // Two identical refusals: one toast that says it repeated.
            tryVerify(() => toastsWith(controller.refusal).length === 1)
            const toast = toastsWith(controller.refusal)[0]
            compare(toast.repeats, 2)
            compare(findChild(toast, "repeatCount").text, "×2")
            verify(findChild(toast, "repeatCount").visible)
            wait(300) // anything sent would be answered by now on loopback
            compare(sent.count, 0)
            compare(failed.count, 0)
        }

        function test_emptyLimitPriceSaysSo() {
            controller.quantity = "0.5"
            const reason = field("priceError")
            verify(!reason.visible) // an empty field is not an error until a submit needs it
            mouseClick(field("submitButton"))
            compare(controller.refusal, "Enter a limit price")
            verify(reason.visible)
            compare(reason.text, "Enter a limit price")
            verify(!field("ticketError").visible) // said once, at the field
        }

        function test_notional() {
            controller.quantity = "0.5"
            controller.price = "3000.10"
            compare(field("notionalLabel").text, "1500.05")
        }

        function test_submitWithEnterReachesTheServer() {
            controller.quantity = "0.5"
            controller.price = "1.00" // far below the market: rests
            mouseClick(field("qtyField"))
            const acked = signalSpy.createObject(root, { target: Dashboard.feed, signalName: "orderAcknowledged" }) as SignalSpy
            keyClick(Qt.Key_Return)
            compare(controller.refusal, "")
            acked.wait(10000)
            compare(acked.count, 1)
        }

        function test_serverErrorShownAtTheTicket() {
            controller.side = OrderTicketController.Sell
            controller.quantity = "1000000"
            controller.price = "999999.00" // over the account's notional limit
            const failed = signalSpy.createObject(root, { target: Dashboard.feed, signalName: "orderRequestFailed" }) as SignalSpy
            verify(ticket.submit())
            failed.wait(10000)
            verify(controller.refusal.indexOf("notional") >= 0, controller.refusal)
            const errorLabel = field("ticketError")
            verify(errorLabel.visible)
            compare(errorLabel.text, controller.refusal)
        }

        function test_marketOrderNeedsNoPrice() {
            controller.quantity = "0.1"
            mouseClick(field("marketButton"))
            compare(controller.orderType, OrderTicketController.Market)
            verify(!field("priceField").visible)
            compare(controller.priceError, "")
            verify(controller.canSubmit)
            verify(field("notionalLabel").text.indexOf("at market") >= 0)
        }
    }

    Component { id: signalSpy; SignalSpy {} }
}
