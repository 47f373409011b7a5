#include "faultloop.h"
#include "pgcluster.h"
#include "recorderrun.h"

#include <QTimer>

#include <algorithm>
#include <iterator>

// `perpscope record` into PostgreSQL (issue 18 item 6): the server is stopped while the
// recorder streams and started again; every liquidation the recorder received meanwhile is
// kept in memory, committed once the server is back, and nothing is lost. The recorder also
// waits for a server that is down when it starts; a recorder killed with -9 and started again
// on the same store continues it without a hole or a duplicate; and a stop while the server
// is down ends after --stop-timeout, saying how many rows it could not store.
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

    // The 1m bars of a store run on without a missing minute, and every tier is their aggregate.
    static void checkBarsContiguous(const QString &db)
    {
        QString problem;
        const QVector<Candle> bars = FaultLoop::checkIntact(db, RecorderRun::linkUsdt, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(bars.size() >= 72);
        for (qsizetype k = 1; k < bars.size(); ++k)
            QVERIFY2(bars[k].ts - bars[k - 1].ts == Timeframes::minuteMs,
                     qPrintable(QStringLiteral("a hole in the 1m bars after %1").arg(QDateTime::fromMSecsSinceEpoch(bars[k - 1].ts, Qt::UTC)
                                                                                         .toString(Qt::ISODate))));
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

    // kill -9 mid-stream loses at most the open batch; a recorder started again on the same
    // store takes up where the store ends: the bars have no hole, and the liquidations are the
    // first run's committed prefix followed by everything the second received, none twice.
    void killNineThenRestartContinuesTheStore()
    {
        QString why;
        QVERIFY2(m_cluster.createDatabase(QStringLiteral("killed"), &why), qPrintable(why));
        const QString db = m_cluster.uri(QStringLiteral("killed"));
        RecorderRun::Venue venue;
        RecorderRun::Tape tape;
        QTimer feed;
        QObject::connect(&feed, &QTimer::timeout, &feed, [&] { tape.push(venue); });
        std::set<qint64> firstRun;
        {
            RecorderRun::Recorder rec(args(venue, db));
            QTRY_VERIFY2_WITH_TIMEOUT(venue.ws.liveConnections() == 1 && rec.has(QStringLiteral("binance: connected")), qPrintable(rec.log()), 30'000);
            feed.start(7);
            QTRY_VERIFY2_WITH_TIMEOUT(rec.count(QStringLiteral("liquidations to")) >= 4, qPrintable(rec.log()), 30'000);
            rec.signal(SIGKILL);
            QTRY_VERIFY_WITH_TIMEOUT(!rec.running(), 10'000);
            feed.stop();
            QCOMPARE(rec.exitCode(), -1); // killed, not ended
            const qint64 committedTo = rec.committedLiquidationsTo(RecorderRun::linkUsdt);
            firstRun = RecorderRun::storedLiquidations(db, RecorderRun::linkUsdt);
            QVERIFY(!firstRun.empty());
            QVERIFY2(*firstRun.rbegin() >= committedTo, "a batch the log called committed is not in the store");
            std::set<qint64> prefix;
            for (qint64 t : tape.sent)
                if (t <= *firstRun.rbegin())
                    prefix.insert(t);
            QCOMPARE(firstRun, prefix);
            qInfo("first run: %zu liquidations sent, %zu stored (the rest was the open batch)", tape.sent.size(), firstRun.size());
        }
        QTRY_COMPARE_WITH_TIMEOUT(venue.ws.liveConnections(), 0, 10'000);

        RecorderRun::Recorder rec(args(venue, db));
        QTRY_VERIFY2_WITH_TIMEOUT(venue.ws.liveConnections() == 1 && rec.has(QStringLiteral("binance: connected")), qPrintable(rec.log()), 30'000);
        const std::set<qint64> beforeRestart = tape.sent;
        feed.start(7);
        QTRY_VERIFY2_WITH_TIMEOUT(tape.sent.size() >= beforeRestart.size() + 40, qPrintable(rec.log()), 10'000);
        feed.stop();
        QTRY_VERIFY2_WITH_TIMEOUT(rec.committedLiquidationsTo(RecorderRun::linkUsdt) == *tape.sent.rbegin(), qPrintable(rec.log()), 30'000);
        rec.signal(SIGTERM);
        QTRY_VERIFY2_WITH_TIMEOUT(!rec.running(), qPrintable(rec.log()), 30'000);
        QVERIFY2(rec.exitCode() == 0, qPrintable(rec.log()));

        std::set<qint64> expected = firstRun;
        for (qint64 t : tape.sent)
            if (!beforeRestart.count(t))
                expected.insert(t);
        QCOMPARE(RecorderRun::storedLiquidations(db, RecorderRun::linkUsdt), expected);
        const auto rows = MarketStore::openReadOnly(db).reader()->liquidations(RecorderRun::linkUsdt, {0, 4'102'444'800'000});
        QCOMPARE(size_t(rows.size()), expected.size()); // no print stored twice (under another seq)
        checkBarsContiguous(db);
    }

    // SIGTERM while the server is down: the stop waits --stop-timeout for it, then exits 1 and
    // says how many rows it could not store; what was committed before the outage stays.
    void stopDuringAnOutageSaysWhatWasNotStored()
    {
        QString why;
        QVERIFY2(m_cluster.createDatabase(QStringLiteral("outage"), &why), qPrintable(why));
        const QString db = m_cluster.uri(QStringLiteral("outage"));
        RecorderRun::Venue venue;
        RecorderRun::Recorder rec(args(venue, db) + QStringList{QStringLiteral("--stop-timeout"), QStringLiteral("1")});
        QTRY_VERIFY2_WITH_TIMEOUT(venue.ws.liveConnections() == 1 && rec.has(QStringLiteral("binance: connected")), qPrintable(rec.log()), 30'000);
        RecorderRun::Tape tape;
        for (int i = 0; i < 10; ++i) {
            tape.push(venue);
            QTest::qWait(5);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(rec.committedLiquidationsTo(RecorderRun::linkUsdt) == *tape.sent.rbegin(), qPrintable(rec.log()), 30'000);
        const std::set<qint64> committed = tape.sent;

        m_cluster.stop();
        for (int i = 0; i < 30; ++i) {
            tape.push(venue);
            QTest::qWait(5);
        }
        QTRY_VERIFY2_WITH_TIMEOUT(rec.has(QStringLiteral("store unavailable")), qPrintable(rec.log()), 30'000);
        QTest::qWait(500); // delivered over loopback
        rec.signal(SIGTERM);
        QTRY_VERIFY2_WITH_TIMEOUT(!rec.running(), qPrintable(rec.log()), 20'000);
        QVERIFY2(rec.exitCode() == 1, qPrintable(rec.log()));
        QVERIFY2(rec.has(QStringLiteral("stopping (SIGTERM)")), qPrintable(rec.log()));
        static const QRegularExpression notStored(QStringLiteral("stopped: (\\d+) rows not stored \\(the store stayed unavailable for 1 s\\)"));
        const auto m = notStored.match(rec.log());
        QVERIFY2(m.hasMatch(), qPrintable(rec.log()));
        QVERIFY2(m.captured(1).toLongLong() >= 30, qPrintable(rec.log())); // at least the prints of the outage

        QVERIFY2(m_cluster.restart(&why), qPrintable(why));
        QCOMPARE(RecorderRun::storedLiquidations(db, RecorderRun::linkUsdt), committed);
    }
};

QTEST_GUILESS_MAIN(TestRecordPostgres)
#include "tst_recordpostgres.moc"
