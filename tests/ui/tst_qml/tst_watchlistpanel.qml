import QtQuick
import QtTest
import Tickwire
import TickwireTest

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

        // A row's cells show the row's symbol and quote in the columns' order (read from the
        // model by the row's CellRow), and name the row for accessibility.
        function test_rowCellsShowTheQuote() {
            Dashboard.start()
            const view = findChild(panel, "watchlistView")
            tryVerify(() => view.count > 0 && view.itemAtIndex(0)
                            && findChild(view.itemAtIndex(0), "watchlistCells").value("last") !== "", 15000)
            const row = view.itemAtIndex(0)
            const cells = findChild(row, "watchlistCells")
            verify(cells)
            compare(panel.columns[0].role, "last")
            tryVerify(() => cells.texts[1] === row.symbol && cells.texts[2] === cells.value("last"), 5000)
            compare(cells.texts.length, 2 + panel.columns.length)
            verify(cells.Accessible.name.indexOf(row.symbol) === 0, cells.Accessible.name)
        }

        // The last and change % columns are green or red by the quote's change, the others
        // not; the sparkline by the change too.
        function test_trendColours() {
            Dashboard.start()
            const view = findChild(panel, "watchlistView")
            tryVerify(() => view.count > 0 && view.itemAtIndex(0)
                            && findChild(view.itemAtIndex(0), "watchlistCells").value("last") !== "", 15000)
            const cells = findChild(view.itemAtIndex(0), "watchlistCells")
            const sparkline = findChild(view.itemAtIndex(0), "watchlistSparkline")
            verify(sparkline)
            compare(sparkline.length, 60) // the model's five minutes of 5-second steps
            compare(panel.columns[0].role, "last")
            compare(panel.trendColumns[0], 2)
            tryVerify(() => {
                const change = cells.value("changeValue")
                const trend = change > 0 ? Theme.up : change < 0 ? Theme.down : Theme.text
                if (!Qt.colorEqual(Probe.cellColor(cells, 1), Theme.text)
                    || !Qt.colorEqual(sparkline.color, change >= 0 ? Theme.up : Theme.down)
                    || sparkline.values.length === 0)
                    return false
                // Cell 0 is the left padding, 1 the symbol, then the text columns.
                return panel.columns.every((c, i) => Qt.colorEqual(Probe.cellColor(cells, i + 2),
                    c.role === "last" || c.role === "changePercent" ? trend : Theme.text))
            }, 5000)
        }

        // Rows are painted opaque on their own background: the panel's, the selection's for
        // the selected symbol, and the current row's for keyboard focus.
        function test_rowBackgrounds() {
            Dashboard.start()
            const view = findChild(panel, "watchlistView")
            tryVerify(() => view.count > 2 && view.itemAtIndex(2), 15000)
            const cellsOf = i => findChild(view.itemAtIndex(i), "watchlistCells")
            view.currentIndex = 1
            Dashboard.market.selectedSymbol = view.itemAtIndex(2).symbol
            tryVerify(() => Qt.colorEqual(cellsOf(2).background, Theme.selection), 5000)
            verify(Qt.colorEqual(cellsOf(1).background, Theme.panelAlt), cellsOf(1).background)
            verify(Qt.colorEqual(cellsOf(0).background, Theme.panel), cellsOf(0).background)
            Dashboard.market.selectedSymbol = view.itemAtIndex(0).symbol
            tryVerify(() => Qt.colorEqual(cellsOf(0).background, Theme.selection), 5000)
            verify(Qt.colorEqual(cellsOf(2).background, Theme.panel), cellsOf(2).background)
            // Opaque, so the row covers what is under it.
            compare(cellsOf(2).background.a, 1)
        }
    }
}
