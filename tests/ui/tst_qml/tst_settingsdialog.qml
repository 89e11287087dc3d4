import QtQuick
import QtTest
import Tickwire

// The settings dialog against Dashboard.settings. tst_qml runs with D-Bus pointed at nothing:
// no keychain, so the dialog must say the token is kept for this session only. A refused
// server keeps the dialog open with the reason and the text typed, and changes nothing.
Item {
    width: 900
    height: 700

    SettingsDialog { id: dialog }

    TestCase {
        name: "SettingsDialog"
        when: windowShown

        function test_noKeychainNote() {
            dialog.open()
            tryVerify(() => dialog.visible)
            tryVerify(() => Dashboard.settings.tokenStorage !== UserSettings.Reading, 10000)
            compare(Dashboard.settings.tokenStorage, UserSettings.Session)
            const note = findChild(dialog.contentItem, "tokenNote")
            verify(note.visible)
            verify(note.text.indexOf("kept for this session only") >= 0, note.text)
            verify(note.height > 0)
            dialog.reject()
            tryVerify(() => !dialog.visible)
        }

        function test_refusedServerKeepsTheDialogOpen() {
            const before = Dashboard.settings.servers
            dialog.open()
            tryVerify(() => dialog.visible)
            const server = findChild(dialog.contentItem, "serverField")
            const error = findChild(dialog.contentItem, "errorLabel")
            verify(!error.visible)
            server.text = "http://not-a-feed.invalid/"
            dialog.accept()
            tryVerify(() => dialog.visible && error.visible)
            verify(error.text.indexOf("http://not-a-feed.invalid/") >= 0, error.text)
            compare(server.text, "http://not-a-feed.invalid/")
            compare(Dashboard.settings.servers, before)
            dialog.reject()
            tryVerify(() => !dialog.visible)
            // Opened afresh, it shows the settings again and no old error.
            dialog.open()
            tryVerify(() => dialog.visible)
            compare(server.text, Dashboard.settings.server)
            verify(!error.visible)
            dialog.reject()
        }
    }
}
