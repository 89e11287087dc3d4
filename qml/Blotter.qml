pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Qt.labs.settings
import Tickwire

// Open orders (cancel, cancel all) · Fills · Positions with mark-to-market P&L · Alerts.
Rectangle {
    id: blotter
    color: Theme.panel
    // "New alert…" on the Alerts tab.
    signal alertDialogRequested()
    readonly property int alertsTab: tabs.length

    // The tab shown last time (window/blotterTab). Applied once the Repeater has made its tabs:
    // restored earlier, the index would land on the Alerts tab (then the only one) and move
    // with it as the others are inserted before it.
    Settings {
        id: saved
        category: "window"
        property int blotterTab: 0
    }
    Component.onCompleted: {
        tabBar.currentIndex = Math.max(0, Math.min(saved.blotterTab, blotter.alertsTab));
        tabBar.currentIndexChanged.connect(() => saved.blotterTab = tabBar.currentIndex);
    }

    readonly property var tabs: [
        { title: qsTr("Open orders"), model: Dashboard.market.openOrders, columns: [
            { role: "timeText", title: qsTr("Time"), width: 92, fixed: true },
            { role: "orderId", title: qsTr("Order"), width: 70 },
            { role: "symbol", title: qsTr("Symbol"), width: 80 },
            { role: "side", title: qsTr("Side"), width: 50 },
            { role: "orderType", title: qsTr("Type"), width: 60 },
            { role: "price", title: qsTr("Price"), width: 100, right: true },
            { role: "qty", title: qsTr("Qty"), width: 90, right: true },
            { role: "filledQty", title: qsTr("Filled"), width: 90, right: true },
            { role: "avgFillPrice", title: qsTr("Avg fill"), width: 100, right: true },
            { role: "status", title: qsTr("Status"), width: 110 } ] },
        { title: qsTr("Fills"), model: Dashboard.market.fills, columns: [
            { role: "timeText", title: qsTr("Time"), width: 92, fixed: true },
            { role: "orderId", title: qsTr("Order"), width: 70 },
            { role: "symbol", title: qsTr("Symbol"), width: 80 },
            { role: "side", title: qsTr("Side"), width: 50 },
            { role: "price", title: qsTr("Price"), width: 100, right: true },
            { role: "qty", title: qsTr("Qty"), width: 90, right: true } ] },
        { title: qsTr("Positions"), model: Dashboard.market.positions, columns: [
            { role: "symbol", title: qsTr("Symbol"), width: 80 },
            { role: "qty", title: qsTr("Qty"), width: 100, right: true },
            { role: "avgPrice", title: qsTr("Avg price"), width: 110, right: true },
            { role: "mark", title: qsTr("Mark"), width: 110, right: true },
            { role: "unrealizedPnl", title: qsTr("Unrealized P&L"), width: 120, right: true, pnl: true },
            { role: "realizedPnl", title: qsTr("Realized P&L"), width: 120, right: true, pnl: true } ] }
    ]

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 30
            color: Theme.panelAlt
            RowLayout {
                anchors.fill: parent
                spacing: 0
                TabBar {
                    id: tabBar
                    Layout.fillHeight: true
                    background: Item {}
                    Repeater {
                        model: blotter.tabs
                        TabButton {
                            id: tab
                            required property var modelData
                            property int count: modelData.model.rowCount()
                            text: qsTr("%1 (%2)", "blotter tab: title (rows)").arg(modelData.title).arg(count)
                            width: implicitWidth
                            height: 30
                            padding: 0
                            leftPadding: 12
                            rightPadding: 12
                            background: Rectangle {
                                color: tab.checked ? Theme.panel : "transparent"
                                Rectangle {
                                    anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                                    height: 2
                                    color: Theme.accent
                                    visible: tab.checked
                                }
                            }
                            contentItem: Text {
                                text: tab.text
                                color: tab.checked ? Theme.text : Theme.textDim
                                font.pixelSize: Theme.fontSize
                                verticalAlignment: Text.AlignVCenter
                            }
                            Connections {
                                target: tab.modelData.model
                                function onRowsInserted() { tab.count = tab.modelData.model.rowCount() }
                                function onRowsRemoved() { tab.count = tab.modelData.model.rowCount() }
                                function onModelReset() { tab.count = tab.modelData.model.rowCount() }
                            }
                        }
                    }
                    TabButton {
                        id: alertsTabButton
                        objectName: "alertsTab"
                        text: qsTr("Alerts (%1)", "blotter tab: alerts (count)").arg(Dashboard.alerts.count)
                        width: implicitWidth
                        height: 30
                        padding: 0
                        leftPadding: 12
                        rightPadding: 12
                        background: Rectangle {
                            color: alertsTabButton.checked ? Theme.panel : "transparent"
                            Rectangle {
                                anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
                                height: 2
                                color: Theme.accent
                                visible: alertsTabButton.checked
                            }
                        }
                        contentItem: Text {
                            text: alertsTabButton.text
                            color: alertsTabButton.checked ? Theme.text : Theme.textDim
                            font.pixelSize: Theme.fontSize
                            verticalAlignment: Text.AlignVCenter
                        }
                    }
                }
                Item { Layout.fillWidth: true }
                Button {
                    objectName: "cancelAllButton"
                    visible: tabBar.currentIndex === 0
                    text: qsTr("Cancel all")
                    flat: true
                    implicitHeight: 26
                    palette.buttonText: Theme.down
                    onClicked: Dashboard.ticket.cancelAll() // a refusal comes back as a toast
                }
                Button {
                    objectName: "newAlertButton"
                    visible: tabBar.currentIndex === blotter.alertsTab
                    text: qsTr("New alert…")
                    flat: true
                    implicitHeight: 26
                    onClicked: blotter.alertDialogRequested()
                }
            }
        }
        StackLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            currentIndex: tabBar.currentIndex
            Repeater {
                model: blotter.tabs
                ColumnLayout {
                    id: page
                    required property var modelData
                    required property int index
                    spacing: 0
                    // Columns shrink together to fit the panel (open orders keep room for
                    // the Cancel button) rather than running off its right edge.
                    readonly property real fit: {
                        let total = 0, fixed = 0
                        for (const c of modelData.columns) {
                            if (c.fixed) fixed += c.width
                            else total += c.width
                        }
                        const room = width - Theme.spacing - (index === 0 ? 64 : 0) - fixed
                        return Math.max(0.6, Math.min(1, room / total))
                    }
                    Row {
                        Layout.preferredHeight: 20
                        leftPadding: Theme.spacing
                        Repeater {
                            model: page.modelData.columns
                            Text {
                                required property var modelData
                                width: modelData.fixed ? modelData.width : modelData.width * page.fit
                                horizontalAlignment: modelData.right ? Text.AlignRight : Text.AlignLeft
                                rightPadding: 8
                                elide: Text.ElideRight
                                text: modelData.title
                                color: Theme.textDim
                                font.pixelSize: Theme.smallFont
                            }
                        }
                    }
                    ListView {
                        Layout.fillWidth: true
                        Layout.fillHeight: true
                        clip: true
                        model: page.modelData.model
                        boundsBehavior: Flickable.StopAtBounds
                        ScrollBar.vertical: ScrollBar {}
                        delegate: Rectangle {
                            id: rowItem
                            required property var model
                            width: ListView.view.width
                            height: Theme.rowHeight
                            color: hover.hovered ? Theme.panelAlt : "transparent"
                            HoverHandler { id: hover }
                            Row {
                                anchors.verticalCenter: parent.verticalCenter
                                leftPadding: Theme.spacing
                                Repeater {
                                    model: page.modelData.columns
                                    Text {
                                        required property var modelData
                                        readonly property var value: rowItem.model[modelData.role]
                                        width: modelData.fixed ? modelData.width : modelData.width * page.fit
                                        horizontalAlignment: modelData.right ? Text.AlignRight : Text.AlignLeft
                                        rightPadding: 8
                                        text: value === undefined || value === null ? "" : value
                                        elide: Text.ElideRight
                                        color: modelData.role === "side" ? (value === "buy" ? Theme.up : Theme.down)
                                               : modelData.pnl ? (String(value).startsWith("-") ? Theme.down : (value && value !== "0" ? Theme.up : Theme.text))
                                               : Theme.text
                                        font.family: modelData.right ? Theme.monoFamily : Qt.application.font.family
                                        font.pixelSize: Theme.fontSize
                                    }
                                }
                            }
                            ToolButton {
                                visible: page.index === 0
                                anchors.right: parent.right
                                anchors.verticalCenter: parent.verticalCenter
                                text: qsTr("Cancel")
                                font.pixelSize: Theme.smallFont
                                onClicked: Dashboard.ticket.cancel(rowItem.model.orderId)
                            }
                        }
                        Text {
                            anchors.centerIn: parent
                            visible: parent.count === 0
                            text: page.index === 0 ? qsTr("No open orders") : page.index === 1 ? qsTr("No fills yet") : qsTr("No positions")
                            color: Theme.textDim
                        }
                    }
                }
            }
            AlertsPanel { id: alertsPanel }
        }
    }

    Shortcut {
        sequences: Shortcuts.keys("alertList")
        onActivated: {
            tabBar.currentIndex = blotter.alertsTab
            alertsPanel.focusList()
        }
    }
}
