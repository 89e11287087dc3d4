import QtQuick
import QtTest
import Tickwire

// Toasts stack, at most four; a keyed toast (the fills of one order) replaces its earlier
// self instead of stacking; a click dismisses one.
Item {
    width: 400
    height: 400

    Toasts { id: toasts }

    TestCase {
        name: "Toasts"
        when: windowShown

        function shown() {
            const out = []
            for (let i = 0; i < toasts.children.length; ++i) {
                const c = toasts.children[i]
                if (c.text !== undefined && c.kind !== undefined)
                    out.push(c.text)
            }
            return out
        }

        function test_keyedToastFollowsItsOrder() {
            toasts.show("fill", "Bought 0.1 of 1 BTC-USD · partial", "fill:o-1")
            toasts.show("fill", "Sold 2 of 2 ETH-USD · filled", "fill:o-2")
            toasts.show("fill", "Bought 0.4 of 1 BTC-USD · partial", "fill:o-1")
            tryVerify(() => shown().length === 2)
            compare(shown()[0], "Bought 0.4 of 1 BTC-USD · partial")
            compare(shown()[1], "Sold 2 of 2 ETH-USD · filled")
        }

        function test_unkeyedToastsStackUpToFour() {
            for (let i = 0; i < 6; ++i)
                toasts.show("error", "error " + i, "")
            tryVerify(() => shown().length === 4)
            compare(shown()[3], "error 5")
        }

        function test_clickDismisses() {
            toasts.show("info", "click me", "")
            tryVerify(() => shown().indexOf("click me") >= 0)
            let target = null
            for (let i = 0; i < toasts.children.length; ++i) {
                if (toasts.children[i].text === "click me")
                    target = toasts.children[i]
            }
            mouseClick(target)
            tryVerify(() => shown().indexOf("click me") < 0)
        }
    }
}
