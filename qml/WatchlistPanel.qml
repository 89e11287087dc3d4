pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The watchlist: live quotes, a sparkline per row, green/red tick flashes. Click selects the
// symbol for chart, book and tape; Delete (or the context menu) removes it.
Rectangle {
    id: panel
    signal addRequested()
    // The alert dialog for a row's symbol (its context menu).
    signal alertRequested(string symbol)
    color: Theme.panel

    readonly property var store: Dashboard.watchlists
    readonly property var columnInfo: ({
        last: { title: qsTr("Last"), width: 84 },
        change: { title: qsTr("Chg"), width: 70 },
        changePercent: { title: qsTr("Chg %"), width: 60 },
        bid: { title: qsTr("Bid"), width: 80 },
        ask: { title: qsTr("Ask"), width: 80 },
        spread: { title: qsTr("Spread"), width: 64 },
        volume: { title: qsTr("Vol 24h"), width: 64 },
        high: { title: qsTr("High"), width: 80 },
        low: { title: qsTr("Low"), width: 80 },
        sparkline: { title: qsTr("Trend"), width: 70 }
    })
    readonly property var columns: store.currentColumns.filter(n => n !== "sparkline")
        .map(n => ({ role: n, title: columnInfo[n].title, width: columnInfo[n].width }))
    // The text columns in the order of the quote model's `cells` role.
    readonly property var fieldNames: Dashboard.quotes.cellNames
    // The delegate's cells (CellRow): a spacer for the row's left padding, the symbol, then the
    // text columns; cellFields gives each text column's index in fieldNames.
    readonly property var cellFields: columns.map(c => fieldNames.indexOf(c.role))
    function cellColumns(available) {
        const mono = Qt.font({ family: Theme.monoFamily, pixelSize: Theme.fontSize })
        return [{ width: Theme.spacing },
                { width: 76, elide: true, font: Qt.font({ bold: true, strikeout: !available, pixelSize: Theme.fontSize }) }]
            .concat(columns.map(c => ({ width: c.width, align: "right", font: mono })))
    }
    readonly property var rowColumns: cellColumns(true)
    readonly property var unavailableRowColumns: cellColumns(false)
    // The cells' colours; the last and change % columns take Theme.up / Theme.down instead
    // when the quote's change is positive / negative (CellRow reads it from the model).
    function cellColors(available) {
        return [Theme.text, available ? Theme.text : Theme.textDim, ...cellFields.map(f => Theme.text)]
    }
    readonly property var rowColors: cellColors(true)
    readonly property var unavailableRowColors: cellColors(false)
    readonly property var trendColumns: cellFields.map((f, i) => f === 0 || f === 2 ? i + 2 : -1).filter(c => c >= 0)
    readonly property bool showSparkline: store.currentColumns.indexOf("sparkline") >= 0

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        PanelHeader {
            title: qsTr("Watchlists")
            Layout.fillWidth: true
            ToolButton {
                text: "+"
                font.pixelSize: 14
                onClicked: panel.addRequested()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Add a symbol (Ctrl+K)")
            }
            ToolButton {
                text: "\u22ee"
                font.pixelSize: 14
                onClicked: listMenu.popup()
                Menu {
                    id: listMenu
                    MenuItem { text: qsTr("New list…"); onTriggered: nameDialog.ask("create") }
                    MenuItem { text: qsTr("Rename list…"); onTriggered: nameDialog.ask("rename") }
                    MenuItem { text: qsTr("Duplicate list"); onTriggered: panel.report(panel.store.duplicateList(panel.store.currentIndex, "")) }
                    MenuItem { text: qsTr("Delete list"); onTriggered: panel.report(panel.store.deleteList(panel.store.currentIndex)) }
                    MenuItem {
                        enabled: panel.store.canUndoDelete
                        text: qsTr("Undo delete %1").arg(panel.store.deletedListName)
                        onTriggered: panel.report(panel.store.undoDelete())
                    }
                    MenuSeparator {}
                    Menu {
                        title: qsTr("Columns")
                        Repeater {
                            model: panel.store.availableColumns
                            MenuItem {
                                required property string modelData
                                text: panel.columnInfo[modelData].title
                                checkable: true
                                checked: panel.store.currentColumns.indexOf(modelData) >= 0
                                onTriggered: {
                                    let cols = panel.store.columns(panel.store.currentIndex)
                                    if (checked && cols.indexOf(modelData) < 0)
                                        cols = panel.store.availableColumns.filter(c => c === modelData || cols.indexOf(c) >= 0)
                                    else if (!checked)
                                        cols = cols.filter(c => c !== modelData)
                                    panel.report(panel.store.setColumns(panel.store.currentIndex, cols))
                                }
                            }
                        }
                    }
                }
            }
        }
        TabBar {
            id: lists
            objectName: "watchlistTabs"
            Layout.fillWidth: true
            currentIndex: panel.store.currentIndex
            onCurrentIndexChanged: if (currentIndex !== panel.store.currentIndex) panel.store.currentIndex = currentIndex
            background: Rectangle { color: Theme.panel }
            Repeater {
                model: panel.store.listNames
                TabButton {
                    required property string modelData
                    text: modelData
                    width: implicitWidth + 12
                    font.pixelSize: Theme.smallFont
                    palette.buttonText: Theme.text
                    palette.button: Theme.panelAlt
                }
            }
        }
        // Column titles
        Row {
            Layout.fillWidth: true
            Layout.preferredHeight: 20
            leftPadding: Theme.spacing
            Text { width: 76; text: qsTr("Symbol"); color: Theme.textDim; font.pixelSize: Theme.smallFont }
            Repeater {
                model: panel.columns
                Text {
                    width: modelData.width
                    horizontalAlignment: Text.AlignRight
                    id: heading
                    required property var modelData
                    readonly property bool sortedBy: panel.store.currentSortColumn === modelData.role
                    text: modelData.title + (sortedBy ? (panel.store.currentSortDescending ? " \u25be" : " \u25b4") : "")
                    color: sortedBy ? Theme.accent : Theme.textDim
                    font.pixelSize: Theme.smallFont
                    MouseArea {
                        anchors.fill: parent
                        cursorShape: Qt.PointingHandCursor
                        onClicked: panel.report(panel.store.cycleSort(panel.store.currentIndex, heading.modelData.role))
                    }
                }
            }
            Text { visible: panel.showSparkline; width: 70; horizontalAlignment: Text.AlignRight; text: qsTr("Trend"); color: Theme.textDim; font.pixelSize: Theme.smallFont }
        }
        ListView {
            id: list
            objectName: "watchlistView"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Dashboard.quotes
            boundsBehavior: Flickable.StopAtBounds
            // Only the rows on screen: under load every row updates every frame, and the default
            // 320 px cache kept ~12 rows off screen updating too. A row is cheap to create on scroll.
            cacheBuffer: 0
            ScrollBar.vertical: ScrollBar {}
            keyNavigationEnabled: true
            focus: true
            // The current row's symbol, from the model (currentItem is a plain Item to QML).
            function currentSymbol() { return Dashboard.quotes.data(Dashboard.quotes.index(currentIndex, 0), QuoteModel.SymbolRole) }
            Keys.onDeletePressed: if (currentItem) panel.report(panel.store.removeSymbolNamed(panel.store.currentIndex, currentSymbol()))
            Keys.onReturnPressed: if (currentItem) Dashboard.market.selectedSymbol = currentSymbol()

            delegate: Item {
                id: quote
                required property int index
                // Only roles that change rarely (a reset, an error from the server): every
                // required property is written, through the QML engine, on each change of its
                // role. The per-tick values (cells, trend, flash, sparkline) are read from the
                // model in C++ by CellRow and Sparkline.
                required property string symbol
                required property bool available
                required property string error
                width: ListView.view.width
                height: Theme.rowHeight + 4

                // The cells (symbol and the text columns), the row's background and the tick
                // flash, painted as one opaque item: under load every row's texts change every frame.
                CellRow {
                    id: cellRow
                    objectName: "watchlistCells"
                    anchors.fill: parent
                    background: quote.symbol === Dashboard.market.selectedSymbol ? Theme.selection
                                : (quote.ListView.isCurrentItem ? Theme.panelAlt : Theme.panel)
                    // Where a Row of the cells and the sparkline, centred in the row, puts them.
                    textTop: Math.round((height - Math.max(implicitHeight, panel.showSparkline ? sparkline.height : 0)) / 2)
                    columns: quote.available ? panel.rowColumns : panel.unavailableRowColumns
                    model: Dashboard.quotes
                    row: quote.index
                    cellsRole: "cells"
                    leading: ["", quote.symbol]
                    fields: panel.cellFields
                    colors: quote.available ? panel.rowColors : panel.unavailableRowColors
                    trendRole: "changeValue"
                    trendColumns: panel.trendColumns
                    upColor: Theme.up
                    downColor: Theme.down
                    // A new last price flashes the row, green or red by the model's tick direction.
                    priceRole: "last"
                    directionRole: "tickDirection"
                    upFlashColor: Theme.upFlash
                    downFlashColor: Theme.downFlash
                    flashDuration: 450
                    Accessible.role: Accessible.Row
                    Accessible.name: joinedText
                }
                Sparkline {
                    id: sparkline
                    objectName: "watchlistSparkline"
                    visible: panel.showSparkline
                    x: cellRow.implicitWidth
                    y: cellRow.textTop
                    width: 70
                    height: Theme.rowHeight - 4
                    model: Dashboard.quotes
                    row: quote.index
                    valuesRole: "sparkline"
                    // A fixed axis of the model's time steps: a short history (just after
                    // start) is the right-hand part, not stretched over the whole width.
                    length: Dashboard.quotes.sparklineLength
                    trendRole: "changeValue"
                    upColor: Theme.up
                    downColor: Theme.down
                }
                Text {
                    visible: !quote.available
                    anchors.right: parent.right
                    anchors.rightMargin: Theme.spacing
                    anchors.verticalCenter: parent.verticalCenter
                    text: qsTr("unavailable")
                    color: Theme.down
                    font.pixelSize: Theme.smallFont
                }
                MouseArea {
                    anchors.fill: parent
                    acceptedButtons: Qt.LeftButton | Qt.RightButton
                    hoverEnabled: true
                    // Drag a row to reorder (the user's order only, not a sorted view).
                    property int dragFrom: -1
                    onPressAndHold: if (!Dashboard.quotes.sorted) dragFrom = quote.index
                    onReleased: (mouse) => {
                        if (dragFrom >= 0) {
                            const to = list.indexAt(10, quote.mapToItem(list.contentItem, mouse.x, mouse.y).y)
                            if (to >= 0 && to !== dragFrom)
                                panel.report(panel.store.moveSymbol(panel.store.currentIndex, dragFrom, to))
                        }
                        dragFrom = -1
                    }
                    cursorShape: dragFrom >= 0 ? Qt.DragMoveCursor : Qt.ArrowCursor
                    ToolTip.visible: containsMouse && !quote.available
                    ToolTip.text: quote.error
                    onClicked: (mouse) => {
                        list.currentIndex = quote.index
                        list.forceActiveFocus()
                        if (mouse.button === Qt.RightButton)
                            contextMenu.popup()
                        else
                            Dashboard.market.selectedSymbol = quote.symbol
                    }
                }
                Menu {
                    id: contextMenu
                    MenuItem { text: qsTr("Chart %1").arg(quote.symbol); onTriggered: Dashboard.market.selectedSymbol = quote.symbol }
                    MenuItem { text: qsTr("Alert on %1…").arg(quote.symbol); onTriggered: panel.alertRequested(quote.symbol) }
                    MenuItem { text: qsTr("Remove %1").arg(quote.symbol); onTriggered: panel.report(panel.store.removeSymbolNamed(panel.store.currentIndex, quote.symbol)) }
                    MenuItem {
                        text: qsTr("Move up")
                        enabled: !Dashboard.quotes.sorted && quote.index > 0
                        onTriggered: panel.report(panel.store.moveSymbol(panel.store.currentIndex, quote.index, quote.index - 1))
                    }
                    MenuItem {
                        text: qsTr("Move down")
                        enabled: !Dashboard.quotes.sorted && quote.index < list.count - 1
                        onTriggered: panel.report(panel.store.moveSymbol(panel.store.currentIndex, quote.index, quote.index + 1))
                    }
                }
            }
            Text {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No symbols yet — press Ctrl+K to add one")
                color: Theme.textDim
            }
        }
    }

    function report(error) {
        if (error !== "")
            Dashboard.toast("error", error, "")
    }

    Dialog {
        id: nameDialog
        property string mode: "create"
        function ask(m) { mode = m; nameField.text = m === "rename" ? panel.store.listNames[panel.store.currentIndex] : ""; open(); nameField.forceActiveFocus() }
        title: mode === "create" ? qsTr("New watchlist") : qsTr("Rename watchlist")
        modal: true
        anchors.centerIn: Overlay.overlay
        standardButtons: Dialog.Ok | Dialog.Cancel
        TextField { id: nameField; width: 260; placeholderText: qsTr("Name"); onAccepted: nameDialog.accept() }
        onAccepted: panel.report(mode === "create" ? panel.store.createList(nameField.text)
                                                   : panel.store.renameList(panel.store.currentIndex, nameField.text))
    }
}
