#include "feedprocess.h"

#include <QtCore/QDeadlineTimer>
#include <QtCore/QRegularExpression>

using namespace Qt::StringLiterals;

namespace tickwire::testing {

namespace {
constexpr int StartTimeoutMs = 15'000;
}

FeedProcess::FeedProcess(QString program)
    : m_program(std::move(program))
{
}

FeedProcess::~FeedProcess()
{
    kill();
}

bool FeedProcess::start(const QStringList &arguments, quint16 port)
{
    kill();
    m_port = 0;
    m_banner.clear();
    m_process = std::make_unique<QProcess>();
    m_process->setProgram(m_program);
    m_process->setArguments(QStringList{u"--listen"_s, u"127.0.0.1:%1"_s.arg(port)} + arguments);
    // Server logs go to the test's own stderr, where ctest keeps them with the failure.
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process->start();
    if (!m_process->waitForStarted(StartTimeoutMs))
        return false;
    static const QRegularExpression line(
        u"tickwire-feed listening on wss?://127\\.0\\.0\\.1:(\\d+)/"_s);
    QByteArray out;
    const QDeadlineTimer deadline(StartTimeoutMs);
    while (!deadline.hasExpired()) {
        if (!m_process->waitForReadyRead(200) && m_process->state() != QProcess::Running)
            break;
        out += m_process->readAllStandardOutput();
        const auto match = line.match(QString::fromUtf8(out));
        if (match.hasMatch()) {
            m_banner = QString::fromUtf8(out);
            m_port = quint16(match.captured(1).toUInt());
            return true;
        }
    }
    m_banner = QString::fromUtf8(out);
    return false;
}

void FeedProcess::kill()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        m_process->kill();
        m_process->waitForFinished(5'000);
    }
}

QUrl FeedProcess::url(const QString &token) const
{
    QUrl url(u"ws://127.0.0.1:%1/"_s.arg(m_port));
    if (!token.isEmpty())
        url.setQuery(u"token="_s + token);
    return url;
}

} // namespace tickwire::testing
