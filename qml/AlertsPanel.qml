pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The price alerts (Dashboard.alerts): what each watches, how it re-arms, when it last fired;
// a switch to enable or disable it and a button to delete it. Keyboard (the list focused, e.g. by
// Alt+L): Up/Down select an alert, Space enables or disables it, Delete deletes it.
Rectangle {
    id: alertsPanel
    objectName: "alertsPanel"
    color: Theme.panel

    function focusList() {
        if (alertList.currentIndex < 0 && alertList.count > 0)
            alertList.currentIndex = 0
        alertList.forceActiveFocus()
    }
    function report(error: string) {
        if (error !== "")
            Dashboard.toast("error", error, "alert")
    }
    // The current row's value of an AlertBook role.
    function current(role: int): var {
        return Dashboard.alerts.data(Dashboard.alerts.index(alertList.currentIndex, 0), role)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        ListView {
            id: alertList
            objectName: "alertList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: Dashboard.alerts
            boundsBehavior: Flickable.StopAtBounds
            ScrollBar.vertical: ScrollBar {}
            keyNavigationEnabled: true
            // (forceLayout: the view moves its current index after a removal only when it lays out.)
            Keys.onSpacePressed: {
                alertList.forceLayout()
                if (alertList.currentIndex >= 0)
                    alertsPanel.report(Dashboard.alerts.setEnabled(alertsPanel.current(AlertBook.AlertIdRole),
                                                                   !alertsPanel.current(AlertBook.EnabledRole)))
            }
            Keys.onDeletePressed: {
                alertList.forceLayout()
                if (alertList.currentIndex >= 0)
                    alertsPanel.report(Dashboard.alerts.remove(alertsPanel.current(AlertBook.AlertIdRole)))
            }
            delegate: Rectangle {
                id: row
                required property int alertId
                required property string description
                required property string rearmText
                required property string note
                required property bool enabled
                required property bool armed
                required property string lastFiredText
                required property int fireCount
                objectName: "alertRow_" + alertId
                width: ListView.view.width
                height: Theme.rowHeight + 4
                color: ListView.isCurrentItem && alertList.activeFocus ? Theme.selection
                       : hover.hovered ? Theme.panelAlt : "transparent"
                HoverHandler { id: hover }
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: Theme.spacing
                    spacing: Theme.spacing
                    CheckBox {
                        objectName: "alertEnabled"
                        checked: row.enabled
                        padding: 0
                        ToolTip.visible: hovered
                        ToolTip.text: row.enabled ? qsTr("Enabled: click to disable") : qsTr("Disabled: click to enable")
                        Accessible.name: row.enabled ? qsTr("Disable alert") : qsTr("Enable alert")
                        onToggled: {
                            const error = Dashboard.alerts.setEnabled(row.alertId, checked)
                            if (error !== "")
                                Dashboard.toast("error", error, "alert")
                        }
                    }
                    Text {
                        Layout.fillWidth: true
                        text: row.description + (row.note !== "" ? "  · " + row.note : "")
                        elide: Text.ElideRight
                        color: row.enabled ? Theme.text : Theme.textDim
                        font.pixelSize: Theme.fontSize
                    }
                    Text {
                        Layout.preferredWidth: 110
                        text: row.rearmText
                        color: Theme.textDim
                        font.pixelSize: Theme.smallFont
                    }
                    Text {
                        objectName: "alertFired"
                        Layout.preferredWidth: 130
                        horizontalAlignment: Text.AlignRight
                        text: row.fireCount > 0
                              ? qsTr("fired %1 ×%2", "alert: last fired time, count").arg(row.lastFiredText).arg(row.fireCount)
                              : row.enabled ? qsTr("armed") : qsTr("off")
                        color: row.fireCount > 0 ? Theme.warn : Theme.textDim
                        font.family: Theme.monoFamily
                        font.pixelSize: Theme.smallFont
                    }
                    ToolButton {
                        objectName: "alertDelete"
                        text: qsTr("Delete")
                        font.pixelSize: Theme.smallFont
                        onClicked: {
                            const error = Dashboard.alerts.remove(row.alertId)
                            if (error !== "")
                                Dashboard.toast("error", error, "alert")
                        }
                    }
                }
            }
            Text {
                anchors.centerIn: parent
                visible: alertList.count === 0
                text: qsTr("No alerts — right-click the chart at a price, or press Alt+A")
                color: Theme.textDim
            }
        }
    }
}
