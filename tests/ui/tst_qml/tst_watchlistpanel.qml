import QtQuick
import QtTest
import Tickwire

// The watchlist shows 24h volume compactly: read at a glance, not to the lot.
Item {
    width: 600
    height: 400

    WatchlistPanel { id: panel; anchors.fill: parent }

    TestCase {
        name: "WatchlistPanel"
        when: windowShown

        function test_compactVolume_data() {
            return [
                { tag: "empty", text: "", expected: "" },
                { tag: "not a number", text: "n/a", expected: "n/a" },
                { tag: "small", text: "12.3456", expected: "12.35" },
                { tag: "hundreds", text: "4372.1", expected: "4372" },
                { tag: "thousands", text: "88123.4", expected: "88.1K" },
                { tag: "millions", text: "1909361.5", expected: "1.91M" },
                { tag: "billions", text: "2450000000", expected: "2.45B" },
            ]
        }
        function test_compactVolume(row) {
            compare(panel.compact(row.text), row.expected)
        }

        // Every text column a list can show has a cell field; an unknown one would show empty.
        function test_everyTextColumnHasAField() {
            const textColumns = panel.store.availableColumns.filter(c => c !== "sparkline")
            verify(textColumns.length > 0)
            compare(panel.fieldNames.slice().sort(), textColumns.slice().sort())
        }

        // A row's cells show the row's symbol and quote in the columns' order, and name the
        // row for accessibility.
        function test_rowCellsShowTheQuote() {
            Dashboard.start()
            const view = findChild(panel, "watchlistView")
            tryVerify(() => view.count > 0 && view.itemAtIndex(0) && view.itemAtIndex(0).last !== "", 15000)
            const row = view.itemAtIndex(0)
            const cells = findChild(row, "watchlistCells")
            verify(cells)
            compare(panel.columns[0].role, "last")
            tryVerify(() => cells.texts[1] === row.symbol && cells.texts[2] === row.last, 5000)
            compare(cells.texts.length, 2 + panel.columns.length)
            verify(cells.Accessible.name.indexOf(row.symbol) === 0, cells.Accessible.name)
        }
    }
}
