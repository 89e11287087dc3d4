import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// Server, token, encoding and theme. An empty server means the built-in demo feed.
Dialog {
    id: dialog
    objectName: "settingsDialog"
    title: qsTr("Settings")
    modal: true
    standardButtons: Dialog.Ok | Dialog.Cancel
    width: 460
    anchors.centerIn: parent

    onAboutToShow: {
        serverField.text = Dashboard.embedded ? "" : Dashboard.serverUrl
        tokenField.text = Dashboard.embedded ? "" : Dashboard.token
        encodingBox.currentIndex = Dashboard.encoding === "cbor" ? 1 : 0
    }
    onAccepted: Dashboard.connectTo(serverField.text, tokenField.text, encodingBox.currentIndex === 1 ? "cbor" : "json")

    GridLayout {
        anchors.fill: parent
        columns: 2
        columnSpacing: 10
        rowSpacing: 8
        Label { text: qsTr("Server") }
        TextField {
            id: serverField
            Layout.fillWidth: true
            placeholderText: qsTr("ws://host:8787/  (empty: built-in demo feed)")
        }
        Label { text: qsTr("Token") }
        TextField {
            id: tokenField
            Layout.fillWidth: true
            echoMode: TextInput.PasswordEchoOnEdit
            placeholderText: qsTr("needed for orders")
        }
        Label { text: qsTr("Encoding") }
        ComboBox {
            id: encodingBox
            Layout.fillWidth: true
            model: [qsTr("JSON (text)"), qsTr("CBOR (binary, compact)")]
        }
        Label { text: qsTr("Theme") }
        ComboBox {
            Layout.fillWidth: true
            model: [qsTr("Dark"), qsTr("Light")]
            currentIndex: Theme.dark ? 0 : 1
            onActivated: (index) => Dashboard.theme = index === 0 ? "dark" : "light"
        }
        Label {
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: Dashboard.feed.state === FeedClient.AuthFailed
            text: qsTr("The server refused the token: enter a valid one.")
            color: Theme.down
            wrapMode: Text.Wrap
        }
    }
}
