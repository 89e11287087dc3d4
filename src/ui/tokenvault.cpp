#include "ui/tokenvault.h"

#include <qt6keychain/keychain.h>

#include <utility>

namespace tickwire::ui {

namespace {

// A job belongs to no QObject and deletes itself once finished (QtKeychain's auto-delete): the
// libsecret backend calls back into the job later, so it must outlive a vault destroyed
// meanwhile. The connection to the vault ends with the vault.
template<typename Job> Job *newJob(const QString &service, const QString &key)
{
    auto *job = new Job(service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}

TokenVault::Result failure(const QKeychain::Job *job)
{
    return {TokenVault::Status::Unavailable, {}, job->errorString()};
}

} // namespace

TokenVault::TokenVault(QString service, QString key, QObject *parent)
    : QObject(parent)
    , m_service(std::move(service))
    , m_key(std::move(key))
{
}

void TokenVault::read()
{
    auto *job = newJob<QKeychain::ReadPasswordJob>(m_service, m_key);
    connect(job, &QKeychain::Job::finished, this, [this, job] {
        switch (job->error()) {
        case QKeychain::NoError:
            Q_EMIT readFinished({Status::Found, job->textData(), {}});
            return;
        case QKeychain::EntryNotFound:
            Q_EMIT readFinished({Status::NotFound, {}, {}});
            return;
        default:
            Q_EMIT readFinished(failure(job));
            return;
        }
    });
    job->start();
}

void TokenVault::write(const QString &token)
{
    QKeychain::Job *job = nullptr;
    if (token.isEmpty()) {
        job = newJob<QKeychain::DeletePasswordJob>(m_service, m_key);
    } else {
        auto *writeJob = newJob<QKeychain::WritePasswordJob>(m_service, m_key);
        writeJob->setTextData(token);
        job = writeJob;
    }
    connect(job, &QKeychain::Job::finished, this, [this, job, erase = token.isEmpty()] {
        // Erasing an entry that is not there is success: the keychain holds no token.
        if (job->error() == QKeychain::NoError
            || (erase && job->error() == QKeychain::EntryNotFound))
            Q_EMIT writeFinished({Status::Stored, {}, {}});
        else
            Q_EMIT writeFinished(failure(job));
    });
    job->start();
}

} // namespace tickwire::ui
