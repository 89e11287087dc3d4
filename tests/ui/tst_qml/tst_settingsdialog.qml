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
            compare(server.text, Dashboard.settings.serverList)
            verify(!error.visible)
            dialog.reject()
        }

        // The server field is a comma-separated list, checked as it is typed: the bad entry is
        // named under the field before OK; a good list clears it.
        function test_serverListCheckedInline() {
            dialog.open()
            tryVerify(() => dialog.visible)
            const server = findChild(dialog.contentItem, "serverField")
            const inline = findChild(dialog.contentItem, "serverError")
            const hint = findChild(dialog.contentItem, "serverHint")
            server.text = "ws://a.invalid:1/, http://b.invalid:2/"
            tryVerify(() => inline.visible)
            verify(inline.text.indexOf("http://b.invalid:2/") >= 0, inline.text)
            verify(inline.height > 0)
            verify(!hint.visible)
            server.text = "ws://a.invalid:1/,,ws://b.invalid:2/"
            verify(inline.text.indexOf("empty") >= 0, inline.text)
            server.text = "ws://a.invalid:1/, ws://a.invalid:1/"
            verify(inline.text.indexOf("twice") >= 0, inline.text)
            server.text = " ws://a.invalid:1/ , wss://b.invalid:2/ "
            tryVerify(() => !inline.visible)
            verify(hint.visible)
            server.text = ""
            verify(!inline.visible) // empty: the built-in feed
            verify(!hint.visible)
            dialog.reject()
            tryVerify(() => !dialog.visible)
        }

        // The market: the simulation and every live exchange by name; a live one asks for
        // symbols (its defaults as the hint); a malformed symbol is refused with the reason and
        // nothing changes. (Offline: no live source is ever accepted here.)
        function test_marketSource() {
            const sources = Dashboard.settings.marketSources
            dialog.open()
            tryVerify(() => dialog.visible)
            const box = findChild(dialog.contentItem, "sourceBox")
            const symbols = findChild(dialog.contentItem, "symbolsField")
            const error = findChild(dialog.contentItem, "errorLabel")
            compare(box.count, sources.count)
            verify(box.count >= 2)
            compare(box.currentValue, Dashboard.settings.marketSource)
            compare(box.textAt(0), "Demo simulation")
            verify(!symbols.visible) // the simulation has its own instruments
            box.currentIndex = box.indexOfValue("binance")
            compare(box.currentText, "Binance")
            verify(symbols.visible)
            verify(symbols.placeholderText.indexOf("BTC-USDT") >= 0, symbols.placeholderText)
            symbols.text = "BTC-USDT, BTCUSDT"
            dialog.accept()
            tryVerify(() => dialog.visible && error.visible)
            verify(error.text.indexOf("BTCUSDT") >= 0, error.text)
            compare(Dashboard.settings.marketSource, "sim")
            compare(symbols.text, "BTC-USDT, BTCUSDT")
            dialog.reject()
            tryVerify(() => !dialog.visible)
            dialog.open()
            tryVerify(() => dialog.visible)
            compare(box.currentValue, "sim")
            verify(!symbols.visible)
            dialog.reject()
        }
    }
}
