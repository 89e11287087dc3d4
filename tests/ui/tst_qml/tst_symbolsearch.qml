import QtQuick
import QtTest
import Tickwire

// Ctrl+K search: type, arrows, Enter picks; Esc closes.
Item {
    id: window
    width: 800
    height: 600

    SymbolSearch { id: search }
    SignalSpy { id: chosen; target: search; signalName: "chosen" }

    TestCase {
        name: "SymbolSearch"
        when: windowShown

        function init() {
            chosen.clear()
            Dashboard.start()
            tryVerify(() => Dashboard.market.selectedName !== "", 15000) // the instruments arrived
        }

        function test_typeAndEnter() {
            search.open()
            tryVerify(() => search.opened)
            keyClick(Qt.Key_E)
            keyClick(Qt.Key_T)
            keyClick(Qt.Key_H)
            keyClick(Qt.Key_Return)
            compare(chosen.count, 1)
            compare(chosen.signalArguments[0][0], "ETH-USD")
            tryVerify(() => !search.visible)
        }

        function test_arrowsMoveTheChoice() {
            search.open()
            tryVerify(() => search.opened)
            keyClick(Qt.Key_U)
            keyClick(Qt.Key_S)
            keyClick(Qt.Key_D)
            verify(Dashboard.symbolSearch.count >= 2)
            const second = Dashboard.symbolSearch.symbolAt(1)
            keyClick(Qt.Key_Down)
            keyClick(Qt.Key_Return)
            compare(chosen.signalArguments[0][0], second)
        }

        function test_escapeCloses() {
            search.open()
            tryVerify(() => search.opened)
            keyClick(Qt.Key_Escape)
            tryVerify(() => !search.visible)
            compare(chosen.count, 0)
        }
    }
}
