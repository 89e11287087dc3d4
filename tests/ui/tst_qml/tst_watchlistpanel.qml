import QtQuick
import QtTest
import Tickwire

// The watchlist panel: its columns and its rows' cells.
Item {
    width: 600
    height: 400

    WatchlistPanel { id: panel; anchors.fill: parent }

    TestCase {
        name: "WatchlistPanel"
        when: windowShown

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
