import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// Connection state at a glance: colour dot, state, server, latency and message rate; while
// reconnecting a countdown and "Retry now". While the built-in feed starts (a live source asks
// the exchange for its instruments first) it says so, and why when it could not.
RowLayout {
    id: badge
    property var feed: Dashboard.feed
    property int secondsLeft: 0
    readonly property bool starting: Dashboard.embeddedStarting
    readonly property bool startFailed: Dashboard.embeddedError !== "" && !Dashboard.embedded
    spacing: Theme.spacing

    Timer {
        interval: 250
        running: badge.feed.state === FeedClient.Reconnecting
        repeat: true
        triggeredOnStart: true
        onTriggered: badge.secondsLeft = Math.max(0, Math.ceil((badge.feed.nextRetryAt - new Date()) / 1000))
    }

    Rectangle {
        objectName: "stateDot"
        width: 10; height: 10; radius: 5
        color: badge.starting ? Theme.warn : badge.startFailed ? Theme.down : Theme.stateColor(badge.feed.state)
        SequentialAnimation on opacity {
            running: badge.starting || badge.feed.state === FeedClient.Connecting || badge.feed.state === FeedClient.Reconnecting
            loops: Animation.Infinite
            NumberAnimation { to: 0.3; duration: 500 }
            NumberAnimation { to: 1; duration: 500 }
            onRunningChanged: if (!running) badge.children[0].opacity = 1
        }
    }
    Label {
        objectName: "stateLabel"
        text: badge.starting ? qsTr("Starting %1…").arg(Dashboard.settings.marketSources.nameOf(Dashboard.embeddedSource))
              : badge.startFailed ? qsTr("Not started")
              : Theme.stateName(badge.feed.state)
                + (badge.feed.state === FeedClient.Reconnecting ? qsTr(" in %1 s (attempt %2)").arg(badge.secondsLeft).arg(badge.feed.attempt) : "")
        color: badge.starting ? Theme.warn : badge.startFailed ? Theme.down : Theme.stateColor(badge.feed.state)
        font.bold: true
        font.pixelSize: Theme.fontSize
    }
    Label {
        visible: !badge.starting && !badge.startFailed
        text: (Dashboard.embedded ? qsTr("built-in feed ") : "") + badge.feed.url
        color: Theme.textDim
        font.pixelSize: Theme.smallFont
        elide: Text.ElideMiddle
        Layout.maximumWidth: 260
    }
    Label {
        visible: badge.feed.state === FeedClient.Live
        text: (badge.feed.latencyMs >= 0 ? qsTr("%1 ms · ").arg(badge.feed.latencyMs) : "")
              + Math.round(badge.feed.messagesPerSecond) + qsTr(" msg/s")
        color: Theme.textDim
        font.family: Theme.monoFamily
        font.pixelSize: Theme.smallFont
    }
    Button {
        objectName: "retryNow"
        visible: badge.feed.state === FeedClient.Reconnecting || badge.feed.state === FeedClient.Stale
        text: qsTr("Retry now")
        flat: true
        onClicked: badge.feed.retryNow()
    }
    Label {
        objectName: "errorLabel"
        visible: text !== "" && badge.feed.state !== FeedClient.Live && !badge.starting
        text: badge.startFailed ? Dashboard.embeddedError : badge.feed.lastError
        color: Theme.down
        font.pixelSize: Theme.smallFont
        elide: Text.ElideRight
        Layout.maximumWidth: 320
        HoverHandler { id: errorHover }
        ToolTip.visible: errorHover.hovered && truncated
        ToolTip.text: text
    }
}
