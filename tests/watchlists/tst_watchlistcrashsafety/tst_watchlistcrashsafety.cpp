#include "watchlists/watchlistformat.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace tickwire::watchlists;

namespace {

constexpr int Rounds = 8;
constexpr int TimeoutMs = 20'000;

// The generation of a complete document written by watchlist_writer, or -1 (and a reason) when
// the file is anything else: torn, mixed, or unreadable.
long long generationOf(const QByteArray &bytes, QString *why)
{
    const ParseResult parsed = parseDocument(bytes);
    if (!parsed.ok()) {
        *why = parsed.error;
        return -1;
    }
    const Watchlist &list = parsed.document->lists.first();
    if (!list.name.startsWith("gen-"_L1)) {
        *why = u"first list is \"%1\""_s.arg(list.name);
        return -1;
    }
    const long long generation = list.name.mid(4).toLongLong();
    if (list.symbols.size() != 20 + generation % 200) {
        *why = u"generation %1 has %2 symbols"_s.arg(generation).arg(list.symbols.size());
        return -1;
    }
    for (qsizetype k = 0; k < list.symbols.size(); ++k) {
        if (list.symbols.at(k) != u"G%1-%2"_s.arg(generation).arg(k)) {
            *why = u"symbol %1 of generation %2 is %3"_s.arg(k)
                       .arg(generation)
                       .arg(list.symbols.at(k));
            return -1;
        }
    }
    return generation;
}

} // namespace

class tst_WatchlistCrashSafety : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedWriterLeavesCompleteDocument();
};

void tst_WatchlistCrashSafety::killedWriterLeavesCompleteDocument()
{
    QVERIFY(QFile::exists(QStringLiteral(WATCHLIST_WRITER_PATH)));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"watchlists.json"_s);

    long long previous = 0;
    for (int round = 0; round < Rounds; ++round) {
        QProcess writer;
        writer.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        writer.start(QStringLiteral(WATCHLIST_WRITER_PATH), {path});
        QVERIFY2(writer.waitForStarted(TimeoutMs), qPrintable(writer.errorString()));

        // Let it save a few generations (and, vary the moment: more each round), then SIGKILL
        // it in the middle of whatever it is doing.
        QByteArray output;
        const int wanted = 2 + round * 3;
        QTRY_VERIFY_WITH_TIMEOUT(
            (output += writer.readAllStandardOutput(), output.count('\n') >= wanted), TimeoutMs);
        writer.kill(); // SIGKILL on Unix: no destructor, no flush
        QVERIFY(writer.waitForFinished(TimeoutMs));
        QCOMPARE(writer.exitStatus(), QProcess::CrashExit);
        output += writer.readAllStandardOutput();

        const QList<QByteArray> lines = output.trimmed().split('\n');
        const long long lastSaved = lines.last().toLongLong();
        QVERIFY(lastSaved > previous);

        QString why;
        const long long onDisk = generationOf(
            [&] {
                QFile file(path);
                return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
            }(),
            &why);
        QVERIFY2(onDisk >= 0,
                 qPrintable(u"round %1: torn or mixed file: %2"_s.arg(round).arg(why)));
        // The last reported save, or the one that was being written when it died, complete.
        QVERIFY2(
            onDisk == lastSaved || onDisk == lastSaved + 1,
            qPrintable(
                u"round %1: file has generation %2, last saved %3"_s.arg(round).arg(onDisk).arg(
                    lastSaved)));
        previous = onDisk;
    }
}

QTEST_GUILESS_MAIN(tst_WatchlistCrashSafety)
#include "tst_watchlistcrashsafety.moc"
