// Test helper for tst_watchlistcrashsafety: rewrites a watchlists file as fast as it can until
// it is killed. Generation n renames the first list "gen-<n>" and fills it with 20 + n % 200
// symbols "G<n>-<k>", so a reader can tell a complete document of one generation from anything
// else. Prints each generation number once it is saved.
#include "watchlists/watchliststore.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>

#include <cstdio>

using namespace Qt::StringLiterals;
using namespace tickwire::watchlists;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 2) {
        std::fprintf(stderr, "usage: watchlist_writer <watchlists.json>\n");
        return 2;
    }
    WatchlistStore store(args.at(1));
    if (!store.load() && !store.loadProblem().isEmpty()) {
        std::fprintf(stderr, "load problem: %s\n", qPrintable(store.loadProblem()));
        return 1;
    }
    const QString name = store.listNames().first();
    long long generation = name.startsWith("gen-"_L1) ? name.mid(4).toLongLong() : 0;
    for (;;) {
        ++generation;
        while (!store.symbols(0).isEmpty()) {
            if (!store.removeSymbol(0, 0).isEmpty())
                return 1;
        }
        QString text;
        for (long long k = 0; k < 20 + generation % 200; ++k)
            text += u"G%1-%2\n"_s.arg(generation).arg(k);
        if (store.importText(0, text).added == 0
            || !store.renameList(0, u"gen-%1"_s.arg(generation)).isEmpty())
            return 1;
        if (!store.flush()) {
            std::fprintf(stderr, "save failed: %s\n", qPrintable(store.saveError()));
            return 1;
        }
        std::printf("%lld\n", generation);
        std::fflush(stdout);
    }
}
