import QtQuick
import QtTest
import Tickwire

// The header's market source badge in each source_status state (set on the badge, as the feed
// client would), then following the real demo feed's welcome; and the order ticket's PAPER mark,
// shown only when the server's trading is "paper".
Item {
    width: 900
    height: 420

    SourceBadge {
        id: badge
        source: "binance"
        sourceState: "live"
        connected: true
    }
    SourceBadge {
        id: fromFeed // bound to Dashboard.feed
        y: 30
    }
    OrderTicket {
        id: ticket
        y: 60
        width: 400
        height: 360
    }

    TestCase {
        name: "SourceBadge"
        when: windowShown

        function init() {
            badge.source = "binance"
            badge.sourceState = "live"
            badge.connected = true
            badge.lastMessageAt = new Date(NaN)
        }

        function test_states_data() {
            return [
                { tag: "sim", source: "sim", state: "", text: "Demo simulation", color: Theme.text },
                { tag: "live", source: "binance", state: "live", text: "Binance · live", color: Theme.text, dot: Theme.up },
                { tag: "resyncing", source: "binance", state: "resyncing", text: "Binance · resyncing", color: Theme.warn, dot: Theme.warn },
                { tag: "unverified", source: "kraken", state: "unverified", text: "Kraken · unverified", color: Theme.warn, dot: Theme.warn },
                { tag: "down, never heard", source: "coinbase", state: "down", text: "Coinbase · down", color: Theme.down, dot: Theme.down },
                { tag: "unknown id", source: "nasdaq", state: "live", text: "nasdaq · live", color: Theme.text, dot: Theme.up },
            ]
        }
        function test_states(data) {
            badge.source = data.source
            badge.sourceState = data.state
            const label = findChild(badge, "sourceLabel")
            const dot = findChild(badge, "sourceDot")
            verify(badge.visible)
            compare(label.text, data.text)
            compare(label.color, data.color)
            compare(dot.visible, data.state !== "")
            if (data.dot !== undefined)
                compare(dot.color, data.dot)
        }

        function test_downSaysSinceWhen() {
            badge.sourceState = "down"
            badge.lastMessageAt = new Date(Date.now() - 42 * 1000)
            const label = findChild(badge, "sourceLabel")
            tryVerify(() => /^Binance · down, last message 4\d s ago$/.test(label.text), 3000, label.text)
            compare(label.color, Theme.down)
            // The clock runs while it is down: the age grows.
            tryVerify(() => /^Binance · down, last message (4[3-9]|5\d) s ago$/.test(label.text), 5000, label.text)
            badge.lastMessageAt = new Date(Date.now() - 5 * 60 * 1000)
            tryCompare(label, "text", "Binance · down, last message 5 min ago", 3000)
            badge.sourceState = "live" // back: no age
            compare(label.text, "Binance · live")
        }

        function test_hiddenUntilConnected() {
            badge.connected = false
            verify(!badge.visible)
            badge.connected = true
            badge.source = "" // no welcome yet
            verify(!badge.visible)
        }

        function test_followsTheDemoFeed() {
            Dashboard.start()
            tryVerify(() => Dashboard.feed.state === FeedClient.Live, 15000, "feed never went live")
            const label = findChild(fromFeed, "sourceLabel")
            tryCompare(fromFeed, "visible", true)
            compare(Dashboard.feed.marketSource, "sim")
            compare(label.text, "Demo simulation")
            verify(!findChild(fromFeed, "sourceDot").visible) // the simulation has no health
        }

        function test_paperMark() {
            const mark = findChild(ticket, "paperMark")
            ticket.trading = "paper"
            verify(mark.visible)
            compare(mark.text, "PAPER")
            verify(mark.explanation.indexOf("Nothing is sent to the exchange") >= 0, mark.explanation)
            ticket.trading = "demo"
            verify(!mark.visible)
            ticket.trading = ""
            verify(!mark.visible)
            // Bound to the server's welcome: the demo feed trades "demo".
            ticket.trading = Qt.binding(() => Dashboard.feed.trading)
            tryCompare(Dashboard.feed, "trading", "demo", 15000)
            verify(!mark.visible)
        }
    }
}
