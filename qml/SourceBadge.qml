import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// Where the market comes from, per the server's welcome, and its health (source_status):
// "Demo simulation"; "Binance · live"; "Binance · resyncing" or "· unverified" in the warning
// colour; "Binance · down" in the error colour with the time since the source's last message.
// The properties follow Dashboard.feed; a test sets them.
RowLayout {
    id: badge
    property string source: Dashboard.feed.marketSource
    property string sourceState: Dashboard.feed.sourceState
    property date lastMessageAt: Dashboard.feed.sourceLastMessageAt
    property bool connected: Dashboard.feed.state === FeedClient.Live
    // Now, once a second while the time since the last message shows.
    property date now: new Date()
    readonly property bool down: sourceState === "down"
    readonly property bool degraded: sourceState === "resyncing" || sourceState === "unverified"
    readonly property color stateColor: down ? Theme.down : degraded ? Theme.warn
                                        : sourceState === "live" ? Theme.up : Theme.textDim
    spacing: 6
    visible: connected && source !== ""

    function stateText() {
        switch (sourceState) {
        case "live": return qsTr("live")
        case "resyncing": return qsTr("resyncing")
        case "unverified": return qsTr("unverified")
        case "down": return qsTr("down")
        }
        return sourceState
    }
    // "45 s", "12 min", "3 h" since `then`; empty before the first message.
    function since(then) {
        if (isNaN(then.getTime()))
            return ""
        const seconds = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000))
        if (seconds < 120)
            return qsTr("%1 s").arg(seconds)
        if (seconds < 2 * 3600)
            return qsTr("%1 min").arg(Math.floor(seconds / 60))
        return qsTr("%1 h").arg(Math.floor(seconds / 3600))
    }
    function explanation() {
        switch (sourceState) {
        case "live": return qsTr("Connected to the exchange; every order book is in sync with it.")
        case "resyncing": return qsTr("Connected; an order book is waiting for a fresh snapshot from the exchange.")
        case "unverified": return qsTr("Connected; an order book keeps failing the exchange's own checksum and may differ from the exchange's.")
        case "down": return qsTr("No connection to the exchange: the feed reconnects on its own. Prices shown are as old as its last message.")
        }
        return qsTr("The feed's own simulated market.")
    }

    Timer {
        interval: 1000
        repeat: true
        running: badge.visible && badge.down
        triggeredOnStart: true
        onTriggered: badge.now = new Date()
    }

    Rectangle {
        objectName: "sourceDot"
        width: 8; height: 8; radius: 4
        color: badge.stateColor
        visible: badge.sourceState !== ""
    }
    Label {
        id: label
        objectName: "sourceLabel"
        readonly property string name: Dashboard.settings.marketSources.nameOf(badge.source)
        readonly property string age: badge.down ? badge.since(badge.lastMessageAt) : ""
        text: badge.sourceState === "" ? name
              : age !== "" ? qsTr("%1 · %2, last message %3 ago").arg(name).arg(badge.stateText()).arg(age)
              : qsTr("%1 · %2").arg(name).arg(badge.stateText())
        color: badge.down ? Theme.down : badge.degraded ? Theme.warn : Theme.text
        font.pixelSize: Theme.fontSize
        HoverHandler { id: hover }
        ToolTip.visible: hover.hovered
        ToolTip.delay: 300
        ToolTip.text: badge.explanation()
              + (badge.sourceState !== "" && Dashboard.feed.sourceReconnects > 0
                 ? " " + qsTr("Upstream reconnections: %1.").arg(Dashboard.feed.sourceReconnects) : "")
        Accessible.description: ToolTip.text
    }
}
