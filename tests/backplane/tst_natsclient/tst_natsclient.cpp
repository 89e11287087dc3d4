// NatsClient against a real 3-node nats-server cluster with JetStream on 127.0.0.1: core
// publish/subscribe and request/reply, bad input, a replicated file stream across the kill of
// its leader, reconnects to another node, reads from a sequence and the last message.
#include "backplane/natsclient.h"
#include "natscluster.h"

#include <QtCore/QEventLoop>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using namespace tickwire;
using backplane::NatsClient;
using backplane::NatsError;
using backplane::NatsMessage;
using backplane::NatsReply;
using backplane::StreamConfig;
using testing::NatsCluster;
using Kind = NatsError::Kind;

namespace {
constexpr int ReplyTimeoutMs = 20'000; // a leader election takes a few seconds
constexpr int Messages = 500;
const QString StreamName = u"ACCOUNTS"_s;

// Waits for the reply's finished() (or the timeout) in a local event loop.
bool waitFinished(NatsReply *reply, int timeoutMs = ReplyTimeoutMs)
{
    if (!reply->isFinished()) {
        QEventLoop loop;
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        QObject::connect(reply, &NatsReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return reply->isFinished();
}

using ReplyPtr = std::unique_ptr<NatsReply>;
} // namespace

class tst_NatsClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void publishSubscribe();
    void requestReply();
    void badInput_data();
    void badInput();
    void requestErrors();
    void slowConsumer();
    void replicatedStreamSurvivesLeaderKill();
    void readFromSequenceAndLast();
    void reconnectsToAnotherNode();
    void singleNode();

private:
    [[nodiscard]] std::unique_ptr<NatsClient> connectedClient(const QString &name);

    std::unique_ptr<NatsCluster> m_cluster;
    std::unique_ptr<NatsClient> m_client;
    // Sequence of every message published in replicatedStreamSurvivesLeaderKill, by index.
    QList<std::uint64_t> m_sequences;
};

std::unique_ptr<NatsClient> tst_NatsClient::connectedClient(const QString &name)
{
    auto client = std::make_unique<NatsClient>();
    const NatsError error = client->open({m_cluster->clientUrls(), name});
    if (error.isError()) {
        qWarning() << error.text;
        return {};
    }
    if (client->state() != NatsClient::State::Connected) {
        QSignalSpy connected(client.get(), &NatsClient::connected);
        if (!connected.wait(10'000))
            return {};
    }
    return client;
}

void tst_NatsClient::initTestCase()
{
    qRegisterMetaType<NatsMessage>();
    qRegisterMetaType<NatsError>();
    if (NatsCluster::serverProgram().isEmpty())
        QSKIP("nats-server is not installed (Debian: apt-get install nats-server; scripts/dev "
              "installs it)");
    m_cluster = std::make_unique<NatsCluster>(3);
    QVERIFY2(m_cluster->start(), qPrintable(m_cluster->errorString()));
    m_client = connectedClient(u"tst_natsclient"_s);
    QVERIFY(m_client);
    QCOMPARE(m_client->state(), NatsClient::State::Connected);
    const int node = m_cluster->nodeOfUrl(m_client->connectedUrl());
    QVERIFY(node >= 0);
    // The servers know the connection by its name.
    QVERIFY(m_cluster->monitor(node, u"/connz"_s).contains("\"name\": \"tst_natsclient\""));
}

void tst_NatsClient::publishSubscribe()
{
    // A second connection subscribes, so the message really goes through the servers.
    auto subscriber = connectedClient(u"subscriber"_s);
    QVERIFY(subscriber);
    const auto sub = subscriber->subscribe(u"tw.test.*"_s);
    QVERIFY2(!sub.error.isError(), qPrintable(sub.error.text));
    QSignalSpy received(subscriber.get(), &NatsClient::messageReceived);
    // The subscription reaches the server before the publish: a request round trip flushes it.
    ReplyPtr flush(subscriber->request(u"tw.flush"_s, {}, 1'000));
    QVERIFY(waitFinished(flush.get()));

    QVERIFY(!m_client
                 ->publish(u"tw.test.one"_s, "payload\0bytes"_ba,
                           {{"Trace-Id"_ba, "abc"_ba}, {"Trace-Id"_ba, "def"_ba}})
                 .isError());
    QVERIFY(!m_client->publish(u"tw.other"_s, "not for it"_ba).isError());
    QVERIFY(!m_client->publish(u"tw.test.two"_s, {}).isError());
    QTRY_COMPARE(received.size(), 2);
    const auto first = received.at(0).at(1).value<NatsMessage>();
    QCOMPARE(received.at(0).at(0).toULongLong(), sub.id);
    QCOMPARE(first.subject, u"tw.test.one"_s);
    QCOMPARE(first.payload, "payload\0bytes"_ba);
    QCOMPARE(first.header("trace-id"_ba), "abc"_ba);
    QCOMPARE(first.headers.size(), 2);
    QCOMPARE(first.headers.at(1).second, "def"_ba);
    const auto second = received.at(1).at(1).value<NatsMessage>();
    QCOMPARE(second.subject, u"tw.test.two"_s);
    QVERIFY(second.payload.isEmpty());

    subscriber->unsubscribe(sub.id);
    ReplyPtr flush2(subscriber->request(u"tw.flush"_s, {}, 1'000));
    QVERIFY(waitFinished(flush2.get()));
    QVERIFY(!m_client->publish(u"tw.test.three"_s, "x"_ba).isError());
    ReplyPtr flush3(m_client->request(u"tw.flush"_s, {}, 1'000));
    QVERIFY(waitFinished(flush3.get()));
    QTest::qWait(100);
    QCOMPARE(received.size(), 2);
}

void tst_NatsClient::requestReply()
{
    auto responder = connectedClient(u"responder"_s);
    QVERIFY(responder);
    const auto sub = responder->subscribe(u"tw.svc.upper"_s);
    QVERIFY(!sub.error.isError());
    connect(responder.get(), &NatsClient::messageReceived, responder.get(),
            [r = responder.get()](quint64, const NatsMessage &request) {
                QVERIFY(!r->respond(request, request.payload.toUpper(),
                                    {{"Served-By"_ba, "responder"_ba}})
                             .isError());
            });
    ReplyPtr flush(responder->request(u"tw.flush"_s, {}, 1'000));
    QVERIFY(waitFinished(flush.get()));

    ReplyPtr reply(m_client->request(u"tw.svc.upper"_s, "hello"_ba, 5'000));
    QVERIFY(!reply->isFinished()); // never finished inside the call
    QSignalSpy finished(reply.get(), &NatsReply::finished);
    QVERIFY(waitFinished(reply.get()));
    QCOMPARE(finished.size(), 1);
    QVERIFY2(!reply->error().isError(), qPrintable(reply->error().text));
    QCOMPARE(reply->message().payload, "HELLO"_ba);
    QCOMPARE(reply->message().header("Served-By"_ba), "responder"_ba);

    // A message without a reply subject cannot be answered.
    const NatsError noReply = responder->respond(NatsMessage{}, "x"_ba);
    QCOMPARE(noReply.kind, Kind::InvalidArgument);
}

void tst_NatsClient::badInput_data()
{
    QTest::addColumn<QString>("subject");
    QTest::addColumn<bool>("subscribable");
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("empty token") << u"tw..x"_s << false;
    QTest::newRow("leading dot") << u".tw"_s << false;
    QTest::newRow("trailing dot") << u"tw."_s << false;
    QTest::newRow("space") << u"tw x"_s << false;
    QTest::newRow("tab") << u"tw.\tx"_s << false;
    QTest::newRow("newline") << u"tw.x\r\nPUB y 1"_s << false;
    QTest::newRow("star") << u"tw.*"_s << true;
    QTest::newRow("full wildcard") << u"tw.>"_s << true;
    QTest::newRow("inner full wildcard") << u"tw.>.x"_s << false;
}

void tst_NatsClient::badInput()
{
    QFETCH(QString, subject);
    QFETCH(bool, subscribable);
    const NatsError published = m_client->publish(subject, "x"_ba);
    QCOMPARE(published.kind, Kind::InvalidArgument);
    QVERIFY(published.text.contains(u"subject"_s));

    const auto sub = m_client->subscribe(subject);
    QCOMPARE(sub.error.isError(), !subscribable);
    if (subscribable)
        m_client->unsubscribe(sub.id);
    else
        QCOMPARE(sub.error.kind, Kind::InvalidArgument);

    ReplyPtr reply(m_client->request(subject, "x"_ba, 1'000));
    QVERIFY(!reply->isFinished());
    QVERIFY(waitFinished(reply.get(), 1'000));
    QCOMPARE(reply->error().kind, Kind::InvalidArgument);

    ReplyPtr published2(m_client->publishToStream(subject, "x"_ba, u"id"_s));
    QVERIFY(waitFinished(published2.get(), 1'000));
    QCOMPARE(published2->error().kind, Kind::InvalidArgument);
}

void tst_NatsClient::requestErrors()
{
    // Nobody subscribes: the server answers "no responders" at once.
    ReplyPtr nobody(m_client->request(u"tw.nobody.here"_s, "x"_ba, 5'000));
    QVERIFY(waitFinished(nobody.get(), 5'000));
    QCOMPARE(nobody->error().kind, Kind::NoResponders);
    QCOMPARE(nobody->error().text, u"No responders"_s);

    // A subscriber that never answers: the request times out.
    auto silent = connectedClient(u"silent"_s);
    QVERIFY(silent);
    QVERIFY(!silent->subscribe(u"tw.silent"_s).error.isError());
    ReplyPtr flush(silent->request(u"tw.flush"_s, {}, 1'000));
    QVERIFY(waitFinished(flush.get()));
    ReplyPtr timedOut(m_client->request(u"tw.silent"_s, "x"_ba, 300));
    QVERIFY(waitFinished(timedOut.get(), 5'000));
    QCOMPARE(timedOut->error().kind, Kind::Timeout);

    // Bad options and a bad stream definition are refused before anything is sent.
    NatsClient unopened;
    QCOMPARE(unopened.open({}).kind, Kind::InvalidArgument);
    QCOMPARE(unopened.open({{u"http://127.0.0.1:1"_s}, {}}).kind, Kind::InvalidArgument);
    QCOMPARE(unopened.publish(u"tw.x"_s, {}).kind, Kind::NotConnected);
    ReplyPtr badStream(m_client->ensureStream({u"BAD.NAME"_s, {u"bad.>"_s}}));
    QVERIFY(waitFinished(badStream.get(), 1'000));
    QCOMPARE(badStream->error().kind, Kind::InvalidArgument);
    ReplyPtr badReplicas(m_client->ensureStream({u"TWO"_s, {u"two.>"_s}, 2}));
    QVERIFY(waitFinished(badReplicas.get(), 1'000));
    QCOMPARE(badReplicas->error().kind, Kind::InvalidArgument);
    // Reads name the stream the same way: one token.
    ReplyPtr badRead(m_client->readSubject(u"BAD.NAME"_s, u"bad.x"_s, 1));
    QVERIFY(waitFinished(badRead.get(), 1'000));
    QCOMPARE(badRead->error().kind, Kind::InvalidArgument);
    ReplyPtr badLast(m_client->lastMessage(QString(), u"bad.x"_s));
    QVERIFY(waitFinished(badLast.get(), 1'000));
    QCOMPARE(badLast->error().kind, Kind::InvalidArgument);

    // Cancelling finishes at once with Cancelled.
    ReplyPtr cancelled(m_client->request(u"tw.silent"_s, "x"_ba, 5'000));
    QSignalSpy finished(cancelled.get(), &NatsReply::finished);
    cancelled->cancel();
    QCOMPARE(finished.size(), 1);
    QCOMPARE(cancelled->error().kind, Kind::Cancelled);
}

void tst_NatsClient::slowConsumer()
{
    auto subscriber = std::make_unique<NatsClient>();
    backplane::NatsOptions options{m_cluster->clientUrls(), u"slow"_s};
    options.pendingMessagesLimit = 50;
    QVERIFY(!subscriber->open(options).isError());
    QTRY_COMPARE(subscriber->state(), NatsClient::State::Connected);
    const auto sub = subscriber->subscribe(u"tw.flood"_s);
    QVERIFY(!sub.error.isError());
    ReplyPtr flush(subscriber->request(u"tw.flush"_s, {}, 1'000));
    QVERIFY(waitFinished(flush.get()));
    QSignalSpy received(subscriber.get(), &NatsClient::messageReceived);
    QSignalSpy slow(subscriber.get(), &NatsClient::slowConsumer);

    // The owner's thread is busy (no event loop) while 1000 messages arrive.
    for (int i = 0; i < 1'000; ++i)
        QVERIFY(!m_client->publish(u"tw.flood"_s, QByteArray::number(i)).isError());
    QTest::qSleep(1'000);
    // Reported once per episode of drops (by libnats's buffer or by the client's own).
    QTRY_VERIFY(!slow.isEmpty());
    for (const auto &args : std::as_const(slow))
        QCOMPARE(args.at(0).toULongLong(), sub.id);
    QTest::qWait(100);
    QVERIFY2(received.size() >= 50 && received.size() < 1'000,
             qPrintable(QString::number(received.size())));
    // Caught up: messages flow again.
    received.clear();
    QVERIFY(!m_client->publish(u"tw.flood"_s, "after"_ba).isError());
    QTRY_COMPARE(received.size(), 1);
    QCOMPARE(received.at(0).at(1).value<NatsMessage>().payload, "after"_ba);
}

void tst_NatsClient::replicatedStreamSurvivesLeaderKill()
{
    StreamConfig config{StreamName, {u"acct.>"_s}, 3, 100, 120'000, true};
    ReplyPtr created(m_client->ensureStream(config));
    QVERIFY(waitFinished(created.get()));
    QVERIFY2(!created->error().isError(), qPrintable(created->error().text));
    // Again with other settings: updated in place.
    config.maxMessagesPerSubject = -1;
    ReplyPtr updated(m_client->ensureStream(config));
    QVERIFY(waitFinished(updated.get()));
    QVERIFY2(!updated->error().isError(), qPrintable(updated->error().text));
    const QJsonObject info = QJsonDocument::fromJson(updated->message().payload).object();
    QCOMPARE(info.value(u"config"_s).toObject().value(u"max_msgs_per_subject"_s).toInteger(), -1);
    QCOMPARE(info.value(u"config"_s).toObject().value(u"num_replicas"_s).toInt(), 3);

    // Another subject of the same stream, which reads of acct.a must not return.
    ReplyPtr other(m_client->publishToStream(u"acct.b"_s, "b"_ba, u"b-1"_s));
    QVERIFY(waitFinished(other.get()));
    QVERIFY2(!other->error().isError(), qPrintable(other->error().text));

    int retries = 0;
    int killed = -1;
    m_sequences.clear();
    for (int i = 0; i < Messages; ++i) {
        if (i == Messages / 2) {
            QString leader;
            QTRY_VERIFY(!(leader = m_cluster->streamLeader(StreamName)).isEmpty());
            killed = m_cluster->nodeOf(leader);
            QVERIFY(killed >= 0);
            m_cluster->kill(killed);
        }
        ReplyPtr reply(
            m_client->publishToStream(u"acct.a"_s, QByteArray::number(i), u"a-%1"_s.arg(i)));
        QSignalSpy retrying(reply.get(), &NatsReply::retrying);
        QVERIFY2(waitFinished(reply.get(), 60'000), qPrintable(u"message %1"_s.arg(i)));
        QVERIFY2(!reply->error().isError(), qPrintable(reply->error().text));
        QCOMPARE(reply->ack().stream, StreamName);
        retries += reply->retries();
        QCOMPARE(retrying.size(), reply->retries()); // each retry is reported
        // A retry may find its first attempt stored: then the ack says duplicate, same message.
        if (reply->ack().duplicate)
            QVERIFY(reply->retries() > 0);
        if (!m_sequences.isEmpty())
            QVERIFY(reply->ack().sequence > m_sequences.last());
        m_sequences.append(reply->ack().sequence);
    }
    qInfo("%d retries across the leader's kill", retries);
    QVERIFY(retries > 0); // the kill was noticed: publishes failed and were retried

    // Read back by a connection that did not publish: each message once, in order.
    ReplyPtr read(m_client->readSubject(StreamName, u"acct.a"_s, 1));
    QVERIFY(waitFinished(read.get()));
    QVERIFY2(!read->error().isError(), qPrintable(read->error().text));
    QCOMPARE(read->messages().size(), Messages);
    for (int i = 0; i < Messages; ++i) {
        const NatsMessage &m = read->messages().at(i);
        QCOMPARE(m.subject, u"acct.a"_s);
        QCOMPARE(m.payload, QByteArray::number(i));
        QCOMPARE(m.header("Nats-Msg-Id"_ba), u"a-%1"_s.arg(i).toUtf8());
        QCOMPARE(m.sequence, m_sequences.at(i));
    }

    // The same id again: acknowledged as a duplicate of the stored message, nothing added.
    ReplyPtr again(m_client->publishToStream(u"acct.a"_s, "changed"_ba, u"a-7"_s));
    QVERIFY(waitFinished(again.get()));
    QVERIFY(!again->error().isError());
    QVERIFY(again->ack().duplicate);
    QCOMPARE(again->ack().sequence, m_sequences.at(7));
    ReplyPtr reread(m_client->readSubject(StreamName, u"acct.a"_s, 1));
    QVERIFY(waitFinished(reread.get()));
    QCOMPARE(reread->messages().size(), Messages);

    // The killed node comes back on its store and catches up.
    QVERIFY2(m_cluster->restart(killed), qPrintable(m_cluster->errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(!m_cluster->streamLeader(StreamName).isEmpty(), 10'000);
}

void tst_NatsClient::readFromSequenceAndLast()
{
    QCOMPARE(m_sequences.size(), Messages);
    // Resume after message 399: exactly 400..499.
    ReplyPtr resumed(m_client->readSubject(StreamName, u"acct.a"_s, m_sequences.at(399) + 1));
    QVERIFY(waitFinished(resumed.get()));
    QVERIFY2(!resumed->error().isError(), qPrintable(resumed->error().text));
    QCOMPARE(resumed->messages().size(), 100);
    QCOMPARE(resumed->messages().first().payload, "400"_ba);
    QCOMPARE(resumed->messages().last().payload, "499"_ba);

    // Past the end: nothing, and no error.
    ReplyPtr end(m_client->readSubject(StreamName, u"acct.a"_s, m_sequences.last() + 1));
    QVERIFY(waitFinished(end.get()));
    QVERIFY(!end->error().isError());
    QVERIFY(end->messages().isEmpty());

    ReplyPtr last(m_client->lastMessage(StreamName, u"acct.a"_s));
    QVERIFY(waitFinished(last.get()));
    QVERIFY2(!last->error().isError(), qPrintable(last->error().text));
    QCOMPARE(last->message().payload, "499"_ba);
    QCOMPARE(last->message().sequence, m_sequences.last());

    ReplyPtr lastB(m_client->lastMessage(StreamName, u"acct.b"_s));
    QVERIFY(waitFinished(lastB.get()));
    QCOMPARE(lastB->message().payload, "b"_ba);

    ReplyPtr none(m_client->lastMessage(StreamName, u"acct.none"_s));
    QVERIFY(waitFinished(none.get()));
    QCOMPARE(none->error().kind, Kind::JetStream);
    QCOMPARE(none->error().code, 404);

    ReplyPtr noStream(m_client->readSubject(u"NOSUCH"_s, u"acct.a"_s, 1, 2'000));
    QVERIFY(waitFinished(noStream.get()));
    QCOMPARE(noStream->error().kind, Kind::JetStream);
    QVERIFY2(noStream->error().text.contains(u"not found"_s), qPrintable(noStream->error().text));
}

void tst_NatsClient::reconnectsToAnotherNode()
{
    const int node = m_cluster->nodeOfUrl(m_client->connectedUrl());
    QVERIFY(node >= 0);
    QSignalSpy disconnected(m_client.get(), &NatsClient::disconnected);
    QSignalSpy reconnected(m_client.get(), &NatsClient::reconnected);
    const auto sub = m_client->subscribe(u"tw.after"_s);
    QVERIFY(!sub.error.isError());
    QSignalSpy received(m_client.get(), &NatsClient::messageReceived);

    m_cluster->kill(node);
    QTRY_COMPARE_WITH_TIMEOUT(reconnected.size(), 1, 10'000);
    QCOMPARE(disconnected.size(), 1);
    const QString url = reconnected.at(0).at(0).toString();
    QVERIFY(m_cluster->nodeOfUrl(url) >= 0);
    QVERIFY(m_cluster->nodeOfUrl(url) != node);
    QCOMPARE(m_client->connectedUrl(), url);
    QCOMPARE(m_client->state(), NatsClient::State::Connected);

    // The subscription was restored on the new server; JetStream still answers (after a
    // leader election when the killed node led the stream: the read retries until then).
    QVERIFY(!m_client->publish(u"tw.after"_s, "again"_ba).isError());
    QTRY_COMPARE(received.size(), 1);
    ReplyPtr last(m_client->lastMessage(StreamName, u"acct.a"_s, ReplyTimeoutMs));
    QVERIFY(waitFinished(last.get()));
    QVERIFY2(!last->error().isError(), qPrintable(last->error().text));
    QCOMPARE(last->message().payload, "499"_ba);

    // A client whose only server is down keeps trying, and connects once it is back; its
    // request inbox, subscribed before the connection existed, works.
    auto late = std::make_unique<NatsClient>();
    QVERIFY(!late->open({{m_cluster->clientUrl(node)}, u"late"_s}).isError());
    QCOMPARE(late->state(), NatsClient::State::Connecting);
    QSignalSpy lateConnected(late.get(), &NatsClient::connected);
    QVERIFY2(m_cluster->restart(node), qPrintable(m_cluster->errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(lateConnected.size(), 1, 10'000);
    QCOMPARE(late->connectedUrl(), m_cluster->clientUrl(node));
    ReplyPtr info(late->request(u"$JS.API.STREAM.INFO."_s + StreamName, {}, ReplyTimeoutMs));
    QVERIFY(waitFinished(info.get()));
    QVERIFY2(!info->error().isError(), qPrintable(info->error().text));
    QVERIFY(info->message().payload.contains("stream_info_response"));
}

void tst_NatsClient::singleNode()
{
    NatsCluster single(1);
    QVERIFY2(single.start(), qPrintable(single.errorString()));
    QCOMPARE(single.clientUrls().size(), 1);
    NatsClient client;
    QVERIFY(!client.open({single.clientUrls(), u"single"_s}).isError());
    QTRY_COMPARE(client.state(), NatsClient::State::Connected);
    ReplyPtr created(client.ensureStream({u"SOLO"_s, {u"solo.>"_s}, 1, 1, 60'000, false}));
    QVERIFY(waitFinished(created.get()));
    QVERIFY2(!created->error().isError(), qPrintable(created->error().text));
    for (int i = 0; i < 3; ++i) {
        ReplyPtr published(
            client.publishToStream(u"solo.x"_s, QByteArray::number(i), u"s-%1"_s.arg(i)));
        QVERIFY(waitFinished(published.get()));
        QVERIFY2(!published->error().isError(), qPrintable(published->error().text));
        QCOMPARE(published->ack().sequence, std::uint64_t(i + 1));
    }
    // One message per subject kept: the last one only.
    ReplyPtr read(client.readSubject(u"SOLO"_s, u"solo.x"_s, 1));
    QVERIFY(waitFinished(read.get()));
    QCOMPARE(read->messages().size(), 1);
    QCOMPARE(read->messages().first().payload, "2"_ba);
    QCOMPARE(read->messages().first().sequence, 3u);

    // Closed and opened again: the old connection's late events do not touch the new one.
    QSignalSpy closed(&client, &NatsClient::closed);
    ReplyPtr pending(client.request(u"solo.nobody.listens"_s, {}, 5'000));
    client.close();
    QCOMPARE(closed.size(), 1);
    QCOMPARE(client.state(), NatsClient::State::Closed);
    QVERIFY(pending->isFinished());
    QCOMPARE(pending->error().kind, Kind::Cancelled);
    QCOMPARE(client.publish(u"solo.x"_s, {}).kind, Kind::NotConnected);
    QVERIFY(!client.open({single.clientUrls(), u"single"_s}).isError());
    QTRY_COMPARE(client.state(), NatsClient::State::Connected);
    QTest::qWait(200);
    QCOMPARE(client.state(), NatsClient::State::Connected);
    QCOMPARE(closed.size(), 1);
    ReplyPtr last(client.lastMessage(u"SOLO"_s, u"solo.x"_s));
    QVERIFY(waitFinished(last.get()));
    QCOMPARE(last->message().payload, "2"_ba);
}

QTEST_GUILESS_MAIN(tst_NatsClient)
#include "tst_natsclient.moc"
