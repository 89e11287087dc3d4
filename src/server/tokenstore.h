#pragma once

#include <QtCore/QHash>
#include <QtCore/QList>
#include <QtCore/QString>

#include <optional>

namespace tickwire::server {

// Bearer tokens -> account names. Immutable once the server starts (shared read-only by the
// workers). Tokens are secrets: nothing here logs them.
class TokenStore
{
public:
    struct Problem
    {
        int line = 0;
        QString message;
    };

    // Lines `TOKEN ACCOUNT`; blank lines and `#` comments ignored. Bad lines are reported by
    // number (without echoing the token) and skipped.
    [[nodiscard]] QList<Problem> parse(QStringView text);
    // False (with `error`) when the file cannot be read.
    [[nodiscard]] bool loadFile(const QString &path, QList<Problem> *problems, QString *error);
    void insert(const QString &token, const QString &account) { m_accounts.insert(token, account); }

    [[nodiscard]] std::optional<QString> account(const QString &token) const;
    [[nodiscard]] qsizetype size() const { return m_accounts.size(); }

    // 32 hex characters from the system CSPRNG.
    [[nodiscard]] static QString generateToken();

private:
    QHash<QString, QString> m_accounts;
};

} // namespace tickwire::server
