pragma Singleton
import QtQuick
import Tickwire

// Colours, fonts and spacing used everywhere. Dark is the default; Dashboard.settings.theme
// switches.
QtObject {
    readonly property bool dark: Dashboard.settings.theme !== "light"

    readonly property color bg: dark ? "#0e1116" : "#f4f5f7"
    readonly property color panel: dark ? "#151a21" : "#ffffff"
    readonly property color panelAlt: dark ? "#1a2029" : "#f0f2f5"
    readonly property color border: dark ? "#262d38" : "#d9dde3"
    readonly property color text: dark ? "#d7dde5" : "#1b1f24"
    readonly property color textDim: dark ? "#7d8794" : "#69717c"
    readonly property color accent: dark ? "#4c8dff" : "#1f6feb"
    readonly property color up: dark ? "#26b67a" : "#11895a"
    readonly property color down: dark ? "#ef5160" : "#d12d3d"
    readonly property color upBg: dark ? "#1326b67a" : "#1a11895a"
    readonly property color downBg: dark ? "#13ef5160" : "#1ad12d3d"
    readonly property color upFlash: dark ? "#5526b67a" : "#5511895a"
    readonly property color downFlash: dark ? "#55ef5160" : "#55d12d3d"
    readonly property color warn: "#e0a526"
    readonly property color selection: dark ? "#223150" : "#dce8fd"

    readonly property string monoFamily: "DejaVu Sans Mono"
    readonly property int fontSize: 12
    readonly property int smallFont: 11
    readonly property int rowHeight: 22
    readonly property int spacing: 8
    readonly property int radius: 4

    function stateColor(state) {
        switch (state) {
        case FeedClient.Live: return up
        case FeedClient.Connecting:
        case FeedClient.Reconnecting: return warn
        case FeedClient.Stale:
        case FeedClient.AuthFailed: return down
        default: return textDim
        }
    }
    function stateName(state) {
        switch (state) {
        case FeedClient.Disconnected: return qsTr("Disconnected")
        case FeedClient.Connecting: return qsTr("Connecting")
        case FeedClient.Live: return qsTr("Live")
        case FeedClient.Stale: return qsTr("Stale")
        case FeedClient.Reconnecting: return qsTr("Reconnecting")
        case FeedClient.AuthFailed: return qsTr("Token refused")
        case FeedClient.Closed: return qsTr("Closed")
        }
        return ""
    }
}
