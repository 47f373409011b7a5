#include "pgcluster.h"
#include "recorderrun.h"

#include <QTimer>

#include <algorithm>
#include <iterator>

// `perpscope record` into PostgreSQL (issue 18 item 6): the server is stopped while the
// recorder streams and started again; every liquidation the recorder received meanwhile is
// kept in memory, committed once the server is back, and nothing is lost. The recorder also
// waits for a server that is down when it starts.
class TestRecordPostgres : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;

    QStringList args(const RecorderRun::Venue &venue, const QString &db) const
    {
        return QStringList{QStringLiteral("--db"),   db, QStringLiteral("--source"), QStringLiteral("binance"), QStringLiteral("--instrument"),
                           QStringLiteral("LINKUSDT"), QStringLiteral("--days"), QStringLiteral("0.05"), QStringLiteral("--commit-ms"),
                           QStringLiteral("100")}
            + venue.options();
    }

private slots:
    void initTestCase()
    {
        QString why;
        QVERIFY2(m_cluster.start(&why), qPrintable(why));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void serverRestartLosesNothingReceived()
    {
        QString why;
        QVERIFY2(m_cluster.createDatabase(QStringLiteral("restart"), &why), qPrintable(why));
        const QString db = m_cluster.uri(QStringLiteral("restart"));
        RecorderRun::Venue venue;
        RecorderRun::Recorder rec(args(venue, db));
        QTRY_VERIFY2_WITH_TIMEOUT(venue.ws.liveConnections() == 1 && rec.has(QStringLiteral("binance: connected")), qPrintable(rec.log()), 30'000);

        RecorderRun::Tape tape;
        QTimer feed;
        QObject::connect(&feed, &QTimer::timeout, &feed, [&] { tape.push(venue); });
        feed.start(10);
        QTRY_VERIFY2_WITH_TIMEOUT(rec.count(QStringLiteral("liquidations to")) >= 5, qPrintable(rec.log()), 30'000);

        // The server goes down: the recorder says so, keeps the batches and retries.
        m_cluster.stop();
        const auto beforeOutage = tape.sent.size();
        QTRY_VERIFY2_WITH_TIMEOUT(rec.has(QStringLiteral("store unavailable")), qPrintable(rec.log()), 30'000);
        const int committedBefore = rec.count(QStringLiteral("batch committed"));
        QTest::qWait(3000); // liquidations keep coming while nothing can be committed
        QCOMPARE(rec.count(QStringLiteral("batch committed")), committedBefore);
        QVERIFY(tape.sent.size() > beforeOutage + 50);
        QVERIFY(rec.running());

        // Back: the backlog is committed in order, and streaming goes on.
        QVERIFY2(m_cluster.restart(&why), qPrintable(why));
        QTRY_VERIFY2_WITH_TIMEOUT(rec.has(QStringLiteral("store available again")), qPrintable(rec.log()), 60'000);
        QTest::qWait(500);
        feed.stop();
        QTRY_VERIFY2_WITH_TIMEOUT(rec.committedLiquidationsTo(RecorderRun::linkUsdt) == *tape.sent.rbegin(), qPrintable(rec.log()), 30'000);
        rec.signal(SIGTERM);
        QTRY_VERIFY2_WITH_TIMEOUT(!rec.running(), qPrintable(rec.log()), 30'000);
        QVERIFY2(rec.exitCode() == 0, qPrintable(rec.log()));

        const std::set<qint64> stored = RecorderRun::storedLiquidations(db, RecorderRun::linkUsdt);
        std::vector<qint64> missing;
        std::set_difference(tape.sent.begin(), tape.sent.end(), stored.begin(), stored.end(), std::back_inserter(missing));
        qInfo("%zu liquidations sent, %zu of them from the server's stop on; %zu stored, %zu missing", tape.sent.size(),
              tape.sent.size() - beforeOutage, stored.size(), missing.size());
        for (const QString &line : rec.lines()) // what an operator reads in the journal, commits aside
            if (!line.contains(QStringLiteral("batch committed")))
                qInfo().noquote() << "log:" << line;
        QVERIFY2(missing.empty(), qPrintable(rec.log()));
        QCOMPARE(stored, tape.sent);
    }

    // A server that is not up yet when the recorder starts (boot order) is waited for.
    void waitsForAServerThatIsDownAtStart()
    {
        QString why;
        QVERIFY2(m_cluster.createDatabase(QStringLiteral("late"), &why), qPrintable(why));
        m_cluster.stop();
        RecorderRun::Venue venue;
        RecorderRun::Recorder rec(args(venue, m_cluster.uri(QStringLiteral("late"))));
        QTRY_VERIFY2_WITH_TIMEOUT(rec.has(QStringLiteral("store unavailable")), qPrintable(rec.log()), 30'000);
        QVERIFY(rec.running());
        QVERIFY2(m_cluster.restart(&why), qPrintable(why));
        QTRY_VERIFY2_WITH_TIMEOUT(venue.ws.liveConnections() == 1 && rec.has(QStringLiteral("binance: connected")), qPrintable(rec.log()), 60'000);
        QVERIFY(rec.has(QStringLiteral("store available")));
        rec.signal(SIGTERM);
        QTRY_VERIFY2_WITH_TIMEOUT(!rec.running(), qPrintable(rec.log()), 30'000);
        QVERIFY2(rec.exitCode() == 0, qPrintable(rec.log()));
        QVERIFY(MarketStore::openReadOnly(m_cluster.uri(QStringLiteral("late"))).reader()->count(RecorderRun::linkUsdt, DataKind::Candles) >= 72);
    }
};

QTEST_GUILESS_MAIN(TestRecordPostgres)
#include "tst_recordpostgres.moc"
