import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

Rectangle {
    id: bar
    signal searchRequested()
    signal settingsRequested()
    signal workspaceMessage(string text)
    implicitHeight: 40
    color: Theme.panel
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 1; color: Theme.border }

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 8
        spacing: 14
        Label {
            text: "Tickwire"
            color: Theme.accent
            font.bold: true
            font.pixelSize: 15
        }
        Label {
            text: Dashboard.market.selectedSymbol
            color: Theme.text
            font.bold: true
            font.pixelSize: 14
        }
        Label {
            // Exchanges give no instrument names: the symbol alone then, not twice.
            visible: Dashboard.market.selectedName !== Dashboard.market.selectedSymbol
            text: Dashboard.market.selectedName
            color: Theme.textDim
            font.pixelSize: Theme.fontSize
        }
        Item { Layout.fillWidth: true }
        SourceBadge { id: sourceBadge }
        Rectangle { width: 1; height: 18; color: Theme.border; visible: sourceBadge.visible }
        ConnectionBadge {}
        WorkspaceMenu { onMessage: (text) => bar.workspaceMessage(text) }
        Button {
            text: qsTr("Search  Ctrl+K")
            flat: true
            onClicked: bar.searchRequested()
        }
        Button {
            text: Theme.dark ? qsTr("Light") : qsTr("Dark")
            flat: true
            onClicked: Dashboard.settings.setTheme(Theme.dark ? "light" : "dark")
        }
        Button {
            text: qsTr("Settings")
            flat: true
            onClicked: bar.settingsRequested()
        }
    }
}
