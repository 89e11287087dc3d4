import QtQuick
import QtTest
import Tickwire

// CellRow paints what a Row of Text items shows (the watchlist, book and tape use it instead of
// one Text per cell), lays out only the cells whose text changed, and fades its tick flash.
Item {
    id: root
    width: 420
    height: 120

    readonly property font mono: Qt.font({ family: "DejaVu Sans Mono", pixelSize: 12 })
    readonly property font bold: Qt.font({ bold: true, pixelSize: 12 })
    property var texts: ["", "", "", ""]

    // The reference: Text items as the views used to have them.
    Rectangle {
        id: reference
        width: 400; height: 26
        color: "#151a21"
        Row {
            y: 4
            leftPadding: 8
            Text { width: 76; text: root.texts[0]; color: "#d7dde5"; font: root.bold; elide: Text.ElideRight }
            Text { width: 84; horizontalAlignment: Text.AlignRight; text: root.texts[1]; color: "#26b67a"; font: root.mono }
            Text { width: 90; horizontalAlignment: Text.AlignHCenter; text: root.texts[2]; color: "#ef5160"; font: root.mono }
            Text { width: 70; horizontalAlignment: Text.AlignRight; rightPadding: 6; text: root.texts[3]; color: "#7d8794"; font: root.mono }
        }
    }
    Rectangle {
        id: painted
        y: 40
        width: 400; height: 26
        color: "#151a21"
        CellRow {
            id: cells
            anchors.fill: parent
            textTop: 4
            columns: [{ width: 8 },
                      { width: 76, font: root.bold, elide: true },
                      { width: 84, align: "right", font: root.mono },
                      { width: 90, align: "center", font: root.mono },
                      { width: 70, align: "right", rightPadding: 6, font: root.mono }]
            texts: [""].concat(root.texts)
            colors: ["transparent", "#d7dde5", "#26b67a", "#ef5160", "#7d8794"]
            flashColor: "#5526b67a"
        }
    }

    TestCase {
        name: "CellRow"
        when: windowShown

        // Largest difference of any colour channel between two grabs, in 1/255 steps.
        function maxDifference(a, b, w, h) {
            let worst = 0
            for (let y = 0; y < h; ++y) {
                for (let x = 0; x < w; ++x) {
                    const p = a.pixel(x, y), q = b.pixel(x, y)
                    worst = Math.max(worst, Math.abs(p.r - q.r) * 255, Math.abs(p.g - q.g) * 255,
                                     Math.abs(p.b - q.b) * 255)
                }
            }
            return Math.round(worst)
        }

        function test_looksLikeTextItems_data() {
            return [
                { tag: "prices", texts: ["BTC-USD", "63996.82", "+0.29", "1.08446"] },
                { tag: "negative, compact", texts: ["EUR-USD", "-1.01", "1.91M", "88.1K"] },
                // 'K' overhangs its advance: aligned by advance, as QQuickText does.
                { tag: "overhanging last glyph", texts: ["E", "", "K", "1K"] },
                { tag: "lengths 1", texts: ["SOL-USD", "1", "12", "123"] },
                { tag: "lengths 2", texts: ["MSFT", "1234", "12345", "123456"] },
                { tag: "lengths 3", texts: ["NVDA", "1234567", "12345678", "12.3456789"] },
                { tag: "empty cells", texts: ["AAPL", "", "145.017", ""] },
                { tag: "elided symbol", texts: ["A-VERY-LONG-SYMBOL", "1", "2", "3"] },
                { tag: "not ASCII", texts: ["ÉTÉ", "1 234,5 €", "−3", "µ"] },
            ]
        }
        function test_looksLikeTextItems(row) {
            root.texts = row.texts
            waitForRendering(painted)
            const want = grabImage(reference)
            const got = grabImage(painted)
            // Text blended into the row's own image and then onto the background may round a
            // channel differently by one step; anything more is a different place or glyph.
            const difference = maxDifference(want, got, reference.width, reference.height)
            verify(difference <= 1, "differs by " + difference + "/255")
        }

        function test_laysOutOnlyChangedCells() {
            root.texts = ["X", "1.00", "2.00", "3.00"]
            const before = cells.layoutCount()
            root.texts = ["X", "1.01", "2.00", "3.00"]
            compare(cells.layoutCount(), before + 1)
            root.texts = ["X", "1.01", "2.00", "3.00"]
            compare(cells.layoutCount(), before + 1)
            compare(cells.joinedText, "X, 1.01, 2.00, 3.00")
        }

        function test_implicitSize() {
            compare(cells.implicitWidth, 8 + 76 + 84 + 90 + 70)
            verify(cells.implicitHeight >= 12 && cells.implicitHeight <= 20, cells.implicitHeight)
        }

        function test_flashFades() {
            compare(cells.flashStrength(), 0)
            cells.flash()
            compare(cells.flashStrength(), 1)
            tryVerify(() => cells.flashStrength() > 0 && cells.flashStrength() < 1, 2000)
            tryVerify(() => cells.flashStrength() === 0, 2000)
        }
    }
}
