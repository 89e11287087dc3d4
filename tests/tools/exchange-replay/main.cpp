// exchange-replay: serves one ExchangeReplayServer script on 127.0.0.1 (a free port) until
// stopped, to point tickwire or tickwire-feed at (--upstream-ws / --upstream-rest) by hand.
// Prints the two base URLs on stdout; every line read on stdin releases a "wait":"release".
#include "exchangereplayserver.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QSocketNotifier>

#include <cstdio>
#include <unistd.h>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 2 || args.at(1).startsWith(u'-')) {
        std::fprintf(stderr, "usage: exchange-replay SCRIPT.ndjson\n");
        return 2;
    }
    tickwire::testing::ExchangeReplayServer server;
    QString error;
    if (!server.load(args.at(1), &error)) {
        std::fprintf(stderr, "exchange-replay: %s\n", qUtf8Printable(error));
        return 2;
    }
    if (!server.listen()) {
        std::fprintf(stderr, "exchange-replay: cannot listen on 127.0.0.1\n");
        return 1;
    }
    std::printf("websocket %s\nrest %s\n", qUtf8Printable(server.webSocketUrl().toString()),
                qUtf8Printable(server.restUrl().toString()));
    std::fflush(stdout);
    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, &server, [&server, &input] {
        char buffer[256];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n <= 0) {
            input.setEnabled(false); // end of input: keep serving
            return;
        }
        for (ssize_t i = 0; i < n; ++i) {
            if (buffer[i] == '\n')
                server.release();
        }
    });
    return app.exec();
}
