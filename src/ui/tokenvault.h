#pragma once

#include <QtCore/QObject>
#include <QtCore/QString>

namespace tickwire::ui {

// The feed token in the operating system's keychain (QtKeychain: Secret Service via libsecret
// on Linux, Keychain on macOS, Credential Manager on Windows). Every call is asynchronous and
// answers with one signal on the GUI thread; nothing here blocks. Never falls back to a
// plain-text store: where there is no keychain, the answer says so.
class TokenVault : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenVault)

public:
    enum class Status {
        Found, // read: the token is in `token`
        NotFound, // read: the keychain works and holds no token
        Stored, // write or erase succeeded
        Unavailable, // no keychain, locked, or it refused: `error` says why
    };
    struct Result
    {
        Status status = Status::Unavailable;
        QString token;
        QString error;
    };

    // `service` and `key` name the keychain entry.
    TokenVault(QString service, QString key, QObject *parent = nullptr);

    void read();
    // Stores `token`, or erases the entry when it is empty.
    void write(const QString &token);

Q_SIGNALS:
    void readFinished(const tickwire::ui::TokenVault::Result &result);
    void writeFinished(const tickwire::ui::TokenVault::Result &result);

private:
    QString m_service;
    QString m_key;
};

} // namespace tickwire::ui
