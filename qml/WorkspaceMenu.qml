pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// The header's Workspaces button: the current workspace's name; its menu switches workspace,
// saves the current one under a new name, renames or deletes it, and shows or hides the second
// chart. Keyboard: Ctrl+Shift+W opens the menu (arrows and Enter in it), Ctrl+1…Ctrl+9 switch to
// the first nine workspaces, Ctrl+Shift+C shows or hides the second chart.
Button {
    id: button
    objectName: "workspaceButton"
    flat: true
    text: qsTr("Workspace: %1").arg(Dashboard.workspaces.currentName)
    // A refusal or failure to tell the user (a toast).
    signal message(string text)

    onClicked: menu.opened ? menu.close() : menu.open()

    function openMenu() { menu.open() }
    function toggleSecondChart() {
        Dashboard.workspaces.setSecondChart(!Dashboard.workspaces.secondChart)
    }

    Menu {
        id: menu
        objectName: "workspaceMenu"
        y: button.height

        Instantiator {
            model: Dashboard.workspaces
            delegate: MenuItem {
                required property int index
                required property string name
                required property bool current
                required property string shortcut
                objectName: "workspace_" + index
                text: shortcut === "" ? name : name + "\t" + shortcut
                checkable: true
                checked: current
                onTriggered: Dashboard.workspaces.currentIndex = index
            }
            onObjectAdded: (index, object) => menu.insertItem(index, object as MenuItem)
            onObjectRemoved: (index, object) => menu.removeItem(object as MenuItem)
        }
        MenuSeparator {}
        MenuItem {
            objectName: "workspaceNew"
            text: qsTr("Save as new workspace…")
            onTriggered: nameDialog.ask("create")
        }
        MenuItem {
            objectName: "workspaceRename"
            text: qsTr("Rename this workspace…")
            onTriggered: nameDialog.ask("rename")
        }
        MenuItem {
            objectName: "workspaceDelete"
            text: qsTr("Delete this workspace")
            enabled: Dashboard.workspaces.count > 1
            onTriggered: {
                const error = Dashboard.workspaces.remove(Dashboard.workspaces.currentIndex)
                if (error !== "")
                    button.message(error)
            }
        }
        MenuSeparator {}
        MenuItem {
            objectName: "workspaceSecondChart"
            text: qsTr("Second chart\tCtrl+Shift+C")
            checkable: true
            checked: Dashboard.workspaces.secondChart
            onTriggered: Dashboard.workspaces.setSecondChart(checked)
        }
    }

    // The name of a new workspace or the new name of the current one; a refused name (empty,
    // taken, too long) keeps the dialog open with the reason.
    Dialog {
        id: nameDialog
        objectName: "workspaceNameDialog"
        property string mode: "create"
        property string error: ""
        parent: Overlay.overlay
        anchors.centerIn: parent
        modal: true
        focus: true
        title: mode === "create" ? qsTr("Save as new workspace") : qsTr("Rename workspace")
        standardButtons: Dialog.Ok | Dialog.Cancel

        function ask(kind: string) {
            mode = kind
            error = ""
            nameField.text = kind === "rename" ? Dashboard.workspaces.currentName : ""
            open()
            nameField.selectAll()
            nameField.forceActiveFocus()
        }
        function submit() {
            error = mode === "create"
                ? Dashboard.workspaces.createFromCurrent(nameField.text)
                : Dashboard.workspaces.rename(Dashboard.workspaces.currentIndex, nameField.text)
            return error === ""
        }
        // OK (or Enter) tries the name: refused, the dialog opens again with the reason (as the
        // alert dialog does).
        onAccepted: {
            if (!submit())
                reopen.start() // once the closing OK has finished
        }
        Timer {
            id: reopen
            interval: 0
            onTriggered: nameDialog.open()
        }

        ColumnLayout {
            spacing: 6
            TextField {
                id: nameField
                objectName: "workspaceName"
                Layout.preferredWidth: 280
                placeholderText: qsTr("Workspace name")
                onAccepted: nameDialog.accept()
            }
            Label {
                objectName: "workspaceNameError"
                visible: nameDialog.error !== ""
                text: nameDialog.error
                color: Theme.down
                wrapMode: Text.Wrap
                Layout.preferredWidth: 280
            }
        }
    }

    Shortcut {
        sequences: Shortcuts.keys("workspaceMenu")
        onActivated: menu.open()
    }
    Shortcut {
        sequences: Shortcuts.keys("secondChart")
        onActivated: button.toggleSecondChart()
    }
    // Ctrl+1 … Ctrl+9: the first nine workspaces. (Written out: Shortcuts from an Instantiator
    // or an inline component never fired in Qt 6.4.)
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[0]; onActivated: Dashboard.workspaces.currentIndex = 0 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[1]; onActivated: Dashboard.workspaces.currentIndex = 1 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[2]; onActivated: Dashboard.workspaces.currentIndex = 2 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[3]; onActivated: Dashboard.workspaces.currentIndex = 3 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[4]; onActivated: Dashboard.workspaces.currentIndex = 4 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[5]; onActivated: Dashboard.workspaces.currentIndex = 5 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[6]; onActivated: Dashboard.workspaces.currentIndex = 6 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[7]; onActivated: Dashboard.workspaces.currentIndex = 7 }
    Shortcut { sequence: Shortcuts.keys("switchWorkspace")[8]; onActivated: Dashboard.workspaces.currentIndex = 8 }
}
