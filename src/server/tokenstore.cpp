#include "server/tokenstore.h"

#include <QtCore/QFile>
#include <QtCore/QRandomGenerator>

namespace tickwire::server {

using namespace Qt::StringLiterals;

QList<TokenStore::Problem> TokenStore::parse(QStringView text)
{
    QList<Problem> problems;
    int lineNo = 0;
    for (QStringView line : text.split(u'\n')) {
        ++lineNo;
        line = line.trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const QList<QStringView> parts = line.split(u' ', Qt::SkipEmptyParts);
        if (parts.size() != 2) {
            problems.append(Problem{lineNo, u"expected `TOKEN ACCOUNT`"_s});
            continue;
        }
        if (parts[0].size() < 8) {
            problems.append(Problem{lineNo, u"token shorter than 8 characters"_s});
            continue;
        }
        m_accounts.insert(parts[0].toString(), parts[1].toString());
    }
    return problems;
}

bool TokenStore::loadFile(const QString &path, QList<Problem> *problems, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error)
            *error = u"cannot open %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    const QList<Problem> found = parse(QString::fromUtf8(file.readAll()));
    if (problems)
        *problems = found;
    return true;
}

std::optional<QString> TokenStore::account(const QString &token) const
{
    const auto it = m_accounts.constFind(token);
    if (it == m_accounts.cend())
        return std::nullopt;
    return *it;
}

QString TokenStore::generateToken()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    QString out;
    for (quint32 w : words)
        out += u"%1"_s.arg(uint(w), 8, 16, QLatin1Char('0'));
    return out;
}

} // namespace tickwire::server
