import QtQuick
import QtTest
import Tickwire

// The connection badge follows the feed client's state: live against the real demo feed,
// closed when the user closes, back when reopened; "Retry now" only while waiting.
Item {
    width: 900
    height: 60

    ConnectionBadge { id: badge }

    TestCase {
        name: "ConnectionBadge"
        when: windowShown

        function test_states() {
            const label = findChild(badge, "stateLabel")
            const retry = findChild(badge, "retryNow")
            Dashboard.start()
            tryCompare(label, "text", "Live", 15000)
            verify(!retry.visible)
            Dashboard.feed.close()
            tryCompare(label, "text", "Closed", 5000)
            Dashboard.feed.open()
            tryCompare(label, "text", "Live", 15000)
        }
    }
}
