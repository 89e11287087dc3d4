// TapProcess: the real tickwire-tap as a child process, for end-to-end tests that want to see
// the feed exactly as a command-line client does (it verifies every book checksum itself and
// reports failures in its --stats line).
#pragma once

#include "protocol/codec.h"

#include <QtCore/QProcess>
#include <QtCore/QUrl>

namespace tickwire::testing {

// A real tickwire-tap reading one symbol's book and trades from `feed`, with --stats; what
// it prints, decoded: the verified books and the source_status states.
class TapProcess
{
    Q_DISABLE_COPY_MOVE(TapProcess)

public:
    TapProcess(const QUrl &feed, const QString &symbol)
    {
        m_process.start(QStringLiteral(TICKWIRE_BINARY_DIR "/app/tickwire-tap/tickwire-tap"),
                        {feed.toString(), QStringLiteral("--subscribe"),
                         QStringLiteral("book:") + symbol, QStringLiteral("--subscribe"),
                         QStringLiteral("trades:") + symbol, QStringLiteral("--stats"),
                         QStringLiteral("--duration"), QStringLiteral("120")});
    }
    ~TapProcess()
    {
        m_process.kill();
        m_process.waitForFinished(5'000);
    }
    void read()
    {
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        qsizetype end;
        while ((end = m_out.indexOf('\n')) >= 0) {
            const protocol::DecodeResult r =
                protocol::decode(m_out.left(end), protocol::Encoding::Json);
            m_out.remove(0, end + 1);
            if (!r.ok())
                continue;
            if (const auto *b = std::get_if<protocol::Book>(&*r.message))
                books.append(*b);
            else if (const auto *st = std::get_if<protocol::SourceStatus>(&*r.message))
                states.append(QString(protocol::toString(st->state)));
        }
    }
    // "b 64000.00:1.00000 | a 64400.00:0.20000 a 64500.00:2.00000" of the last book printed.
    QString lastBook()
    {
        read();
        if (books.isEmpty())
            return {};
        QStringList parts;
        for (const auto &l : std::as_const(books.last().bids))
            parts.append(QStringLiteral("b ") + l.price.toString() + QLatin1Char(':')
                         + l.qty.toString());
        parts.append(QStringLiteral("|"));
        for (const auto &l : std::as_const(books.last().asks))
            parts.append(QStringLiteral("a ") + l.price.toString() + QLatin1Char(':')
                         + l.qty.toString());
        return parts.join(QLatin1Char(' '));
    }
    // The states source_status went through, repeats folded: "down live down live".
    QString stateHistory()
    {
        read();
        QStringList folded;
        for (const QString &st : std::as_const(states)) {
            if (folded.isEmpty() || folded.last() != st)
                folded.append(st);
        }
        return folded.join(QLatin1Char(' '));
    }
    // Stops the tap and returns its --stats line.
    QByteArray stop()
    {
        m_process.terminate();
        m_process.waitForFinished(10'000);
        read();
        const qsizetype at = m_err.lastIndexOf("stats ");
        return at < 0 ? QByteArray() : m_err.mid(at).trimmed();
    }

    QList<protocol::Book> books;
    QStringList states;

private:
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

} // namespace tickwire::testing
