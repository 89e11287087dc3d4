import QtQuick
import QtTest
import Tickwire

// The chart's tools without the mouse: Ctrl+I opens the indicators menu with the focus in it,
// Space presses the focused button, Tab moves on, Esc closes.
Item {
    id: root
    width: 900
    height: 600

    ChartPanel { id: panel; chartId: "keystest"; width: parent.width; height: parent.height }

    TestCase {
        name: "ChartKeys"
        when: windowShown

        function test_indicatorsFromTheKeyboard() {
            const indicators = findChild(panel, "chartIndicators")
            const menu = findChild(panel, "indicatorMenu")
            verify(indicators && menu)
            indicators.specs = []
            panel.forceActiveFocus()
            keyClick(Qt.Key_I, Qt.ControlModifier)
            tryVerify(() => menu.opened)
            // The first "add" button has the focus: Space adds an SMA.
            keyClick(Qt.Key_Space)
            compare(indicators.specs, ["sma 20"])
            // Tab moves to the next button (EMA).
            const ema = findChild(menu, "add_ema")
            let tabs = 0
            while (!ema.activeFocus && tabs++ < 10)
                keyClick(Qt.Key_Tab)
            verify(ema.activeFocus, "Tab never reached the EMA button")
            keyClick(Qt.Key_Space)
            compare(indicators.specs, ["sma 20", "ema 20"])
            // And an entry's remove button.
            const remove = findChild(menu.contentItem, "removeIndicator")
            tabs = 0
            while (!remove.activeFocus && tabs++ < 20)
                keyClick(Qt.Key_Tab)
            verify(remove.activeFocus, "Tab never reached a remove button")
            keyClick(Qt.Key_Space)
            compare(indicators.specs.length, 1)
            keyClick(Qt.Key_Escape)
            tryVerify(() => !menu.opened)
        }
    }
}
