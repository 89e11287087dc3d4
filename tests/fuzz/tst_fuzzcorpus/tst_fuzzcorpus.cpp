// Replays every seed in tests/fuzz/corpus/<target>/ and every finding kept in
// tests/fuzz/regressions/<target>/ through the fuzz entry points, with any compiler: a fixed
// finding stays fixed, and the seeds stay meaningful inputs.
#include "fuzzentries.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {
const QString FuzzDir = QStringLiteral(TICKWIRE_FUZZ_DIR);
}

class tst_FuzzCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyTargetHasSeeds_data();
    void everyTargetHasSeeds();
    void replay_data();
    void replay();
};

void tst_FuzzCorpus::everyTargetHasSeeds_data()
{
    QTest::addColumn<QString>("target");
    for (const tickwire::fuzz::Entry &entry : tickwire::fuzz::entries())
        QTest::newRow(entry.name) << QString::fromLatin1(entry.name);
}

void tst_FuzzCorpus::everyTargetHasSeeds()
{
    QFETCH(QString, target);
    const QDir dir(FuzzDir + u"/corpus/"_s + target);
    QVERIFY2(dir.exists(), qPrintable(dir.path()));
    QVERIFY(dir.entryList(QDir::Files).size() >= 3);
}

void tst_FuzzCorpus::replay_data()
{
    QTest::addColumn<int>("entry");
    QTest::addColumn<QString>("path");
    const QList<tickwire::fuzz::Entry> entries = tickwire::fuzz::entries();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        for (const QString &kind : {u"corpus"_s, u"regressions"_s}) {
            const QDir dir(FuzzDir + u'/' + kind + u'/' + QString::fromLatin1(entries[i].name));
            const QStringList files = dir.entryList(QDir::Files, QDir::Name);
            for (const QString &file : files) {
                const QString row =
                    kind + u'/' + QString::fromLatin1(entries[i].name) + u'/' + file;
                QTest::newRow(qPrintable(row)) << int(i) << dir.filePath(file);
            }
        }
    }
}

void tst_FuzzCorpus::replay()
{
    QFETCH(int, entry);
    QFETCH(QString, path);
    QFile file(path);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
    const QByteArray input = file.readAll();
    const QString problem = tickwire::fuzz::entries().at(entry).run(input);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

QTEST_GUILESS_MAIN(tst_FuzzCorpus)
#include "tst_fuzzcorpus.moc"
