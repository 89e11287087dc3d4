import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Tickwire

// Servers, token, encoding, the built-in feed's market source and the theme (Dashboard.settings).
// The servers are one comma-separated list, checked as it is typed; empty means the built-in
// feed, on the simulation or a live exchange. A refused value keeps the dialog open with the
// reason.
Dialog {
    id: dialog
    objectName: "settingsDialog"
    title: qsTr("Settings")
    modal: true
    standardButtons: Dialog.Ok | Dialog.Cancel
    width: 480
    anchors.centerIn: parent

    readonly property UserSettings settings: Dashboard.settings
    property string error: ""
    property bool keepFields: false

    onAboutToShow: {
        if (keepFields) {
            keepFields = false
            return
        }
        error = ""
        serverField.text = settings.serverList
        tokenField.text = settings.token
        encodingBox.currentIndex = settings.encoding === "cbor" ? 1 : 0
        sourceBox.currentIndex = Math.max(0, sourceBox.indexOfValue(settings.marketSource))
        symbolsField.text = settings.symbolsText(sourceBox.currentValue)
    }
    onAccepted: {
        error = settings.setMarketSource(sourceBox.currentValue, symbolsField.text)
        if (error === "")
            error = settings.connectTo(serverField.text, tokenField.text,
                                       encodingBox.currentIndex === 1 ? "cbor" : "json")
        if (error !== "") {
            keepFields = true
            reopen.start() // once the closing OK has finished
        }
    }
    Timer {
        id: reopen
        interval: 0
        onTriggered: dialog.open()
    }

    // The keychain may answer while the dialog is open.
    Connections {
        target: dialog.settings
        function onTokenChanged() {
            if (tokenField.text === "")
                tokenField.text = dialog.settings.token
        }
    }

    GridLayout {
        anchors.fill: parent
        columns: 2
        columnSpacing: 10
        rowSpacing: 8
        Label { text: qsTr("Servers") }
        TextField {
            id: serverField
            objectName: "serverField"
            Layout.fillWidth: true
            placeholderText: qsTr("ws://a:8787/, ws://b:8787/  (empty: built-in demo feed)")
        }
        Item { width: 1; height: 1; visible: serverError.visible } // under the server field
        Label {
            id: serverError
            objectName: "serverError"
            Layout.fillWidth: true
            visible: text !== ""
            text: dialog.settings.checkServerList(serverField.text)
            color: Theme.down
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
        Item { width: 1; height: 1; visible: serverHint.visible }
        Label {
            id: serverHint
            objectName: "serverHint"
            Layout.fillWidth: true
            visible: !serverError.visible && serverField.text.indexOf(",") >= 0
            text: qsTr("Connects to the first; every reconnect moves to the next.")
            color: Theme.textDim
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
        Label { text: qsTr("Token") }
        TextField {
            id: tokenField
            objectName: "tokenField"
            Layout.fillWidth: true
            echoMode: TextInput.PasswordEchoOnEdit
            placeholderText: qsTr("needed for orders")
        }
        Item { width: 1; height: 1 } // the note sits under the token field
        Label {
            objectName: "tokenNote"
            Layout.fillWidth: true
            visible: text !== ""
            text: dialog.settings.tokenNote
            color: dialog.settings.tokenStorage === UserSettings.Session || dialog.settings.plainTextToken
                   ? Theme.down : Theme.textDim
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
        Label { text: qsTr("Encoding") }
        ComboBox {
            id: encodingBox
            Layout.fillWidth: true
            model: [qsTr("JSON (text)"), qsTr("CBOR (binary, compact)")]
        }
        Label { text: qsTr("Market") }
        ComboBox {
            id: sourceBox
            objectName: "sourceBox"
            Layout.fillWidth: true
            model: dialog.settings.marketSources
            textRole: "name"
            valueRole: "id"
            // Each source keeps its own symbols.
            onActivated: symbolsField.text = dialog.settings.symbolsText(currentValue)
        }
        Label { text: qsTr("Symbols"); visible: symbolsField.visible }
        TextField {
            id: symbolsField
            objectName: "symbolsField"
            Layout.fillWidth: true
            // A live exchange's; the simulation has its own instruments.
            visible: dialog.settings.marketSources.liveSource(sourceBox.currentValue)
            placeholderText: dialog.settings.marketSources.defaultSymbolsText(sourceBox.currentValue)
        }
        Item { width: 1; height: 1 } // the note sits under the market
        Label {
            objectName: "sourceNote"
            Layout.fillWidth: true
            text: serverField.text.trim() !== ""
                  ? qsTr("The market applies to the built-in feed, used when no server is set.")
                  : symbolsField.visible
                    ? qsTr("Real prices from the exchange, no account needed; orders are paper trades, filled in simulation. Empty symbols: the ones shown.")
                    : qsTr("A simulated market with its own instruments.")
            color: Theme.textDim
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
        Label {
            objectName: "embeddedError"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: text !== "" && !Dashboard.embedded
            text: Dashboard.embeddedError
            color: Theme.down
            wrapMode: Text.Wrap
        }
        Label { text: qsTr("Theme") }
        ComboBox {
            Layout.fillWidth: true
            model: [qsTr("Dark"), qsTr("Light")]
            currentIndex: Theme.dark ? 0 : 1
            onActivated: (index) => dialog.settings.setTheme(index === 0 ? "dark" : "light")
        }
        Label {
            objectName: "errorLabel"
            Layout.columnSpan: 2
            Layout.fillWidth: true
            visible: text !== ""
            text: dialog.error
            color: Theme.down
            wrapMode: Text.Wrap
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
