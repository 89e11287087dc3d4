import QtQuick
import QtTest
import Tickwire
import TickwireTest

// Clicking a book level hands its price (and the side that would take it) to the ticket; each
// level's depth bar is its share of the deepest cumulative size shown.
Item {
    id: root
    width: 360
    height: 900

    BookLadder { id: ladder; anchors.fill: parent }
    SignalSpy { id: clicked; target: ladder; signalName: "priceClicked" }

    TestCase {
        name: "BookLadder"
        when: windowShown

        function test_clickLevelGivesPrice() {
            Dashboard.start()
            Dashboard.market.selectedSymbol = "BTC-USD"
            const view = findChild(ladder, "bookLadder")
            tryVerify(() => view.count > 0 && view.itemAtIndex(0) && view.itemAtIndex(0).hasLevel, 15000)
            // Row 0 is the deepest ask shown; clicking it means "buy at this price".
            const item = view.itemAtIndex(0)
            const price = findChild(item, "bookCells").value("price")
            mouseClick(item, 20, item.height / 2)
            compare(clicked.count, 1)
            compare(clicked.signalArguments[0][0], price)
            compare(clicked.signalArguments[0][1], "buy")
            verify(/^\d+\.\d+$/.test(price), price)
        }

        function test_depthBars() {
            Dashboard.start()
            Dashboard.market.selectedSymbol = "BTC-USD"
            const view = findChild(ladder, "bookLadder")
            tryVerify(() => view.count > 0 && view.itemAtIndex(0) && view.itemAtIndex(0).hasLevel, 15000)
            let widest = 0, levels = 0
            for (let i = 0; i < view.count; ++i) {
                const item = view.itemAtIndex(i)
                if (!item || !item.hasLevel)
                    continue
                const cells = findChild(item, "bookCells")
                const fraction = cells.value("depthFraction")
                verify(fraction > 0 && fraction <= 1, i + ": " + fraction)
                compare(Probe.barFraction(cells), fraction)
                verify(Qt.colorEqual(cells.barColor, item.ask ? Theme.downBg : Theme.upBg))
                widest = Math.max(widest, fraction)
                ++levels
            }
            verify(levels > 2, levels)
            compare(widest, 1)
        }
    
        function test_grouping() {
            Dashboard.start()
            Dashboard.market.selectedSymbol = "BTC-USD"
            const view = findChild(ladder, "bookLadder")
            tryVerify(() => view.count > 0 && view.itemAtIndex(20) && view.itemAtIndex(20).hasLevel, 15000)
            tryVerify(() => Dashboard.market.bookGroupingChoices.length === 4, 5000)
            Dashboard.market.bookGrouping = 1
            const coarse = findChild(ladder, "group10")
            verify(coarse)
            compare(coarse.text, "0.1")
            mouseClick(coarse)
            compare(Dashboard.market.bookGrouping, 10)
            verify(coarse.checked)
            // The best bid is floored and the best ask ceiled to a multiple of 0.10.
            tryVerify(() => {
                const bid = findChild(view.itemAtIndex(20), "bookCells").value("price")
                const ask = findChild(view.itemAtIndex(19), "bookCells").value("price")
                return /0$/.test(bid) && /0$/.test(ask)
            }, 5000)
            // Ctrl+] coarser, Ctrl+[ finer.
            keyClick(Qt.Key_BracketRight, Qt.ControlModifier)
            compare(Dashboard.market.bookGrouping, 100)
            keyClick(Qt.Key_BracketLeft, Qt.ControlModifier)
            keyClick(Qt.Key_BracketLeft, Qt.ControlModifier)
            compare(Dashboard.market.bookGrouping, 1)
            // Saved per symbol: another symbol has its own, and coming back restores it.
            Dashboard.market.bookGrouping = 100
            Dashboard.market.selectedSymbol = "ETH-USD"
            compare(Dashboard.market.bookGrouping, 1)
            Dashboard.market.selectedSymbol = "BTC-USD"
            compare(Dashboard.market.bookGrouping, 100)
            Dashboard.market.bookGrouping = 1
        }
}
}
