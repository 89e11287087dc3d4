#pragma once

#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QString>
#include <QtCore/QUrl>

namespace tickwire::exchanges {

// Writes what an adapter exchanged with its exchange as NDJSON, one line per event with its
// local receive time `t` (ms since the epoch), in the script format of the tests' exchange
// replay server, so that a recorded session replays as it was received:
//   {"ws":N,"send":<frame>,"t":…}                 a text frame received on connection N
//   {"ws":N,"wait":"message","contains":"…","t":…} a text frame the adapter sent
//   {"rest":"/path","symbol":"X","status":200,"body":<body>,"t":…}   a REST reply
// Frames and bodies that are JSON are written byte for byte; anything else as a JSON string.
// Connections are numbered from 1 in the order they are opened. Single thread.
class FrameRecorder
{
    Q_DISABLE_COPY_MOVE(FrameRecorder)

public:
    FrameRecorder() = default;

    // Truncates `path`. False with `error` set when it cannot be written.
    [[nodiscard]] bool open(const QString &path, QString *error);
    [[nodiscard]] bool isOpen() const { return m_file.isOpen(); }

    // A new upstream WebSocket connection; returns its number for received() and sent().
    int connectionOpened();
    void received(int connection, QStringView frame);
    void sent(int connection, QStringView frame);
    void restReply(const QUrl &url, int status, QByteArrayView body);

    [[nodiscard]] qint64 linesWritten() const { return m_lines; }

private:
    void write(const QByteArray &line);

    QFile m_file;
    int m_connections = 0;
    qint64 m_lines = 0;
};

} // namespace tickwire::exchanges
