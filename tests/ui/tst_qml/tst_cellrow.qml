import QtQuick
import QtTest
import Tickwire
import TickwireTest

// CellRow paints what a Row of Text items shows (the watchlist, book and tape use it instead of
// one Text per cell), opaque on its own background or transparent on its parent's, lays out and
// repaints only the cells whose text changed, paints a depth bar from a model role, and fades
// its tick flash.
Item {
    id: root
    width: 420
    height: 200

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
            texts: ["", ...root.texts]
            colors: ["transparent", "#d7dde5", "#26b67a", "#ef5160", "#7d8794"]
            flashColor: "#5526b67a"
        }
    }
    // The same row painted opaque on its own background, with nothing under it.
    CellRow {
        id: opaque
        y: 80
        width: 400; height: 26
        background: "#151a21"
        textTop: 4
        columns: cells.columns
        texts: cells.texts
        colors: cells.colors
    }
    // A book level's depth bar, from a model role.
    ListModel {
        id: levels
        dynamicRoles: true // a role may change type: "not a number" below
        Component.onCompleted: {
            append({ depth: 0.25 })
            append({ depth: 0.5 })
        }
    }
    CellRow {
        id: barRow
        y: 120
        width: 200; height: 20
        background: "#000000"
        columns: [{ width: 200 }]
        model: levels
        row: 0
        barRole: "depth"
        barColor: "#ff0000"
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

        // The opaque row (no Rectangle under it) looks the same, and a change of one cell,
        // repainted alone, leaves nothing of its old text behind, in either form: every step
        // makes one cell longer or shorter, or moves its text (alignment).
        function test_repaintedCellsLeaveNothingBehind() {
            const steps = [
                ["BTC-USD", "63996.82", "+0.29", "1.08446"],
                ["BTC-USD", "1", "+0.29", "1.08446"],
                ["BTC-USD", "1", "+100000.29", "1.08446"],
                ["B", "1", "+100000.29", "1.08446"],
                ["B", "1234567890123", "+100000.29", "1.08446"], // wider than its cell
                ["B", "1", "+100000.29", "1.08446"], // what overflowed is gone
                ["B", "1234567890123", "", "1.08446"],
                ["B", "1234567890123", "", "9"],
                ["A-VERY-LONG-SYMBOL", "1234567890123", "", "9"],
                ["ÉTÉ", "1 234,5 €", "−3", "µ"],
                ["E", "", "K", "1K"],
            ]
            for (let i = 0; i < steps.length; ++i) {
                root.texts = steps[i]
                waitForRendering(opaque)
                const want = grabImage(reference)
                for (const got of [grabImage(painted), grabImage(opaque)]) {
                    const difference = maxDifference(want, got, reference.width, reference.height)
                    verify(difference <= 1, "step " + i + " differs by " + difference + "/255")
                }
            }
        }

        // Only what changed is painted again: the other cells keep their pixels.
        function test_repaintsOnlyChangedCells() {
            root.texts = ["X", "1.00", "2.00", "3.00"]
            waitForRendering(opaque)
            const last = Probe.paintCount(opaque, 4)
            root.texts = ["X", "1.01", "2.00", "3.00"] // column 2 (the padding cell is column 0)
            const second = Probe.paintCount(opaque, 2)
            waitForRendering(opaque)
            tryVerify(() => Probe.paintCount(opaque, 2) > second, 5000)
            compare(Probe.paintCount(opaque, 4), last)
            const beside = Probe.paintCount(opaque, 1) // the changed cell's neighbour may be painted too
            root.texts = ["X", "1.01", "2.00", "3.01"]
            waitForRendering(opaque)
            tryVerify(() => Probe.paintCount(opaque, 4) > last, 5000)
            compare(Probe.paintCount(opaque, 1), beside)
        }

        // The bar grows from the right edge to the role's fraction of the width, one pixel
        // short of the bottom, under the texts; out-of-range values are clamped, a value that
        // is not a number is no bar, and a shrinking bar leaves nothing behind.
        function test_depthBar_data() {
            return [
                { tag: "quarter", depth: 0.25, fraction: 0.25 },
                { tag: "not a number", depth: "deep", fraction: 0 },
                { tag: "whole", depth: 1, fraction: 1 },
                { tag: "shrunk", depth: 0.1, fraction: 0.1 },
                { tag: "above one", depth: 7.5, fraction: 1 },
                { tag: "negative", depth: -3, fraction: 0 },
                { tag: "zero", depth: 0, fraction: 0 },
            ]
        }
        function test_depthBar(data) {
            levels.setProperty(0, "depth", data.depth)
            compare(Probe.barFraction(barRow), data.fraction)
            waitForRendering(barRow)
            const image = grabImage(barRow)
            const edge = 200 - Math.round(200 * data.fraction)
            const red = Qt.color("#ff0000"), black = Qt.color("#000000")
            for (let x = 0; x < 200; x += 5) {
                const want = x >= edge ? red : black
                verify(Qt.colorEqual(image.pixel(x, 10), want), "x " + x + ": " + image.pixel(x, 10))
            }
            verify(Qt.colorEqual(image.pixel(199, 19), black), "bottom row: " + image.pixel(199, 19))
        }

        // The bar follows its own row of the model.
        function test_depthBarFollowsItsRow() {
            levels.setProperty(0, "depth", 0.25)
            levels.setProperty(1, "depth", 0.75)
            compare(Probe.barFraction(barRow), 0.25)
            barRow.row = 1
            compare(Probe.barFraction(barRow), 0.75)
            levels.setProperty(0, "depth", 0.5)
            compare(Probe.barFraction(barRow), 0.75)
            barRow.row = 0
            compare(Probe.barFraction(barRow), 0.5)
        }

        function test_laysOutOnlyChangedCells() {
            root.texts = ["X", "1.00", "2.00", "3.00"]
            const before = Probe.layoutCount(cells)
            root.texts = ["X", "1.01", "2.00", "3.00"]
            compare(Probe.layoutCount(cells), before + 1)
            root.texts = ["X", "1.01", "2.00", "3.00"]
            compare(Probe.layoutCount(cells), before + 1)
            compare(cells.joinedText, "X, 1.01, 2.00, 3.00")
        }

        function test_implicitSize() {
            compare(cells.implicitWidth, 8 + 76 + 84 + 90 + 70)
            verify(cells.implicitHeight >= 12 && cells.implicitHeight <= 20, cells.implicitHeight)
        }

        function test_flashFades() {
            compare(Probe.flashStrength(cells), 0)
            cells.flash()
            compare(Probe.flashStrength(cells), 1)
            tryVerify(() => Probe.flashStrength(cells) > 0 && Probe.flashStrength(cells) < 1, 2000)
            tryVerify(() => Probe.flashStrength(cells) === 0, 2000)
        }
    }
}
