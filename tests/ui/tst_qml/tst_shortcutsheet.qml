import QtQuick
import QtQuick.Controls
import QtTest
import Tickwire

// The shortcuts sheet: ? or F1 opens it, a ? typed in a text field stays text, Esc closes it,
// and it shows every entry of the Shortcuts table under its group.
Item {
    id: root
    width: 1400
    height: 800

    TextField { id: field; width: 200 }
    Item { id: plain; y: 50; width: 10; height: 10; focus: true }
    ShortcutSheet { id: sheet }

    TestCase {
        name: "ShortcutSheet"
        when: windowShown

        function init() {
            sheet.close()
            tryCompare(sheet, "opened", false)
            field.text = ""
            plain.forceActiveFocus()
        }

        function test_questionMarkOpensEscCloses() {
            verify(plain.activeFocus)
            keyClick(Qt.Key_Question, Qt.ShiftModifier)
            tryCompare(sheet, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(sheet, "opened", false)
        }

        function test_questionMarkUnshifted() {
            keyClick("?")
            tryCompare(sheet, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(sheet, "opened", false)
        }

        function test_f1Opens() {
            keyClick(Qt.Key_F1)
            tryCompare(sheet, "opened", true)
            keyClick(Qt.Key_Escape)
            tryCompare(sheet, "opened", false)
        }

        function test_notWhileTyping() {
            field.forceActiveFocus()
            verify(field.activeFocus)
            keyClick(Qt.Key_Question, Qt.ShiftModifier)
            keyClick(Qt.Key_A)
            compare(field.text, "?a")
            verify(!sheet.opened)
            // F1 is no text: it opens the sheet from a field too.
            keyClick(Qt.Key_F1)
            tryCompare(sheet, "opened", true)
        }

        function test_listsEveryShortcut() {
            sheet.open()
            tryCompare(sheet, "opened", true)
            const groups = []
            for (const entry of Shortcuts.entries) {
                const row = findChild(sheet.content, "shortcutEntry_" + entry.name)
                verify(row, "no sheet row for " + entry.name)
                verify(row.visible && row.width > 0, entry.name)
                // Its keys and its text are on the row.
                const shown = texts(row)
                verify(shown.indexOf(entry.text) >= 0, entry.name + ": " + shown)
                for (const key of entry.keys)
                    verify(shown.indexOf(Shortcuts.keyText(key)) >= 0, entry.name + " " + key + ": " + shown)
                groups[entry.group] = true
            }
            // Every group has entries.
            for (let g = 0; g < Shortcuts.groups.length; ++g)
                verify(groups[g], "group without entries: " + Shortcuts.groups[g])
            // And the table names what the dashboard binds.
            compare(Shortcuts.keys("search"), ["Ctrl+K"])
            compare(Shortcuts.keys("sheet"), ["?", "F1", "Shift+?"])
        }

        // The texts of the Text items under an item.
        function texts(item) {
            let out = []
            if (item.text !== undefined && item.font !== undefined)
                out.push(item.text)
            for (let i = 0; i < item.children.length; ++i)
                out = out.concat(texts(item.children[i]))
            return out
        }
    }
}
