import QtQuick
import QtTest
import Tickwire
import TickwireTest

// Sparkline draws its values as one line scaled to the item (over the whole width, or on a
// fixed axis of `length` slots), and paints again only when a point of the line moves by more
// than an eighth of a pixel from where it was painted.
Item {
    id: root
    width: 200
    height: 60

    Rectangle {
        anchors.fill: parent
        color: "#000000"
    }
    Sparkline {
        id: line
        width: 62
        height: 18
        color: "#ffffff"
    }
    // Changed to make the window render a frame whatever the sparkline does.
    Rectangle {
        id: ticker
        x: 100
        width: 10; height: 10
        color: "#000001"
    }

    TestCase {
        name: "Sparkline"
        when: windowShown

        // Renders a frame (ticker changes) and returns how often the line was painted so far.
        function paintsAfterFrame() {
            ticker.color = Qt.colorEqual(ticker.color, "#000001") ? "#000002" : "#000001"
            waitForRendering(ticker)
            return Probe.linePaintCount(line)
        }
        // The brightest pixel of column x between rows y0 and y1 (inclusive), 0 to 1.
        function brightest(image, x, y0, y1) {
            let most = 0
            for (let y = y0; y <= y1; ++y) {
                const p = image.pixel(x, y)
                most = Math.max(most, (p.r + p.g + p.b) / 3)
            }
            return most
        }

        function test_drawsTheValues() {
            line.values = [0, 10] // from the bottom left corner to the top right one
            paintsAfterFrame()
            const image = grabImage(line)
            // Half way along (x = 31) the line is half way up (y = 9).
            verify(brightest(image, 31, 7, 11) > 0.3, "no line in the middle")
            verify(brightest(image, 31, 0, 5) < 0.05, "line above the middle")
            verify(brightest(image, 31, 13, 17) < 0.05, "line below the middle")
            verify(brightest(image, 4, 13, 17) > 0.3, "no line at the bottom left")
            verify(brightest(image, 4, 0, 8) < 0.05, "line at the top left")
            verify(brightest(image, 58, 0, 4) > 0.3, "no line at the top right")
            verify(brightest(image, 58, 9, 17) < 0.05, "line at the bottom right")
        }

        // On an axis of five slots, two values take the last two: the right-hand quarter.
        function test_fixedAxis() {
            line.values = [0, 10]
            line.length = 5
            paintsAfterFrame()
            let image = grabImage(line)
            for (const x of [4, 31, 40]) // the quarter starts at x = 46
                verify(brightest(image, x, 0, 17) < 0.05, "line at x = " + x)
            verify(brightest(image, 53, 7, 11) > 0.3, "no line half way along the quarter")
            verify(brightest(image, 58, 0, 4) > 0.3, "no line at the top right")
            // As many values as slots, or more: the whole width again.
            line.values = [0, 2.5, 5, 7.5, 10, 10]
            paintsAfterFrame()
            image = grabImage(line)
            verify(brightest(image, 4, 13, 17) > 0.3, "no line at the bottom left")
            line.length = 0
        }

        function test_repaintsOnlyWhatShows() {
            line.values = [0, 10, 5]
            const painted = paintsAfterFrame()
            verify(painted > 0)
            // Over 16 px of height, 10 is the range: 0.1 moves the newest point by 0.16 px.
            line.values = [0, 10, 5.1]
            compare(paintsAfterFrame(), painted + 1)
            // 0.03 is 0.05 px: not painted, though the values changed.
            line.values = [0, 10, 5.13]
            compare(paintsAfterFrame(), painted + 1)
            compare(line.values[2], 5.13)
            // Small moves that add up to more than an eighth of a pixel are painted.
            line.values = [0, 10, 5.16]
            compare(paintsAfterFrame(), painted + 1)
            line.values = [0, 10, 5.19]
            compare(paintsAfterFrame(), painted + 2)
            line.values = [0, 10, 5.19, 5.19] // a point more (each moves along x): painted
            compare(paintsAfterFrame(), painted + 3)
            // Another colour, another size: painted.
            line.color = "#ff0000"
            compare(paintsAfterFrame(), painted + 4)
            line.width = 80
            compare(paintsAfterFrame(), painted + 5)
            line.width = 62
            compare(paintsAfterFrame(), painted + 6)
            line.length = 10 // the points move along x
            compare(paintsAfterFrame(), painted + 7)
            line.length = -3 // no such axis: the values span the width
            compare(line.length, 0)
            compare(paintsAfterFrame(), painted + 8)
        }
    }
}
