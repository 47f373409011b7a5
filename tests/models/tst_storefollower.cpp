#include "pgcluster.h"
#include "storage/marketstore.h"
#include "storage/postgres/pgconnection.h"
#include "storage/storewriter.h"
#include "storefollower.h"

#include <QSignalSpy>
#include <QTest>

// A workspace follows what another process writes into its store: on SQLite by polling the
// file, on PostgreSQL by the writers' NOTIFY (shown with the safety poll set to ten minutes,
// so nothing but the notice can carry the commit). It names what grew, says nothing for a
// store nobody writes, and survives losing its connection: it says so, tries again, and
// its first look after the loss catches up on what was written meanwhile.
class TestStoreFollower : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01
    static constexpr qint64 minute = 60'000;
    const Instrument m_instrument = Instrument::parse(QStringLiteral("BINANCE:BTCUSDT"), QString());
    QTemporaryDir m_dir;
    PgCluster m_cluster;
    bool m_pgUp = false;
    QString m_pgWhy;
    int m_databases = 0;

    // `minutes` 1m bars from `from` and one OI sample per bar.
    MarketBatch batch(qint64 from, int minutes) const
    {
        MarketBatch b;
        b.instrument = m_instrument;
        for (int i = 0; i < minutes; ++i) {
            const double p = 90'000 + i;
            const qint64 ts = from + i * minute;
            b.candles.push_back({ts, p, p + 5, p - 5, p + 1, 10, 10 * p, 4});
            b.openInterest.push_back({ts, 80'000, 80'000 * p});
        }
        return b;
    }

    QString pgStore()
    {
        if (!m_pgUp)
            return {};
        const QString name = QStringLiteral("follow%1").arg(++m_databases);
        QString why;
        if (!m_cluster.createDatabase(name, &why))
            return {};
        return m_cluster.uri(name);
    }

    static bool appendedKind(const QSignalSpy &spy, DataKind kind, qint64 through)
    {
        for (const auto &args : spy)
            if (args.at(1).value<DataKind>() == kind && args.at(3).toLongLong() >= through)
                return true;
        return false;
    }

    void followsCommits(const QString &locator, int pollMs)
    {
        const MarketStore store = MarketStore::open(locator);
        store.writer()->commit(batch(t0, 60));
        StoreFollower follower(locator);
        if (pollMs > 0)
            follower.setPollInterval(pollMs);
        QSignalSpy appended(&follower, &StoreFollower::appended);
        QSignalSpy state(&follower, &StoreFollower::stateChanged);
        follower.setActive(true);
        QTRY_COMPARE_WITH_TIMEOUT(follower.state(), QStringLiteral("following"), 10000);
        // What was there before it started is the baseline, not news.
        QTest::qWait(300);
        QCOMPARE(appended.size(), 0);

        // Another writer (another connection, as another process would be) commits.
        store.writer()->commit(batch(t0 + 60 * minute, 5));
        QTRY_VERIFY_WITH_TIMEOUT(appendedKind(appended, DataKind::Candles, t0 + 65 * minute), 10000);
        QVERIFY(appendedKind(appended, DataKind::OpenInterest, t0 + 64 * minute + 1));
        for (const auto &args : appended) {
            QCOMPARE(args.at(0).value<Instrument>(), m_instrument);
            // What grew: the new rows (bars from the previous newest bar, rewritten live).
            QVERIFY(args.at(2).toLongLong() >= t0 + 59 * minute);
        }

        // Stopped, it says nothing about later commits.
        follower.setActive(false);
        appended.clear();
        store.writer()->commit(batch(t0 + 65 * minute, 5));
        QTest::qWait(3 * StoreFollower::sqlitePollMs);
        QCOMPARE(appended.size(), 0);
    }

private slots:
    void initTestCase()
    {
        m_pgUp = m_cluster.start(&m_pgWhy);
    }

    void followsAnSqliteFile()
    {
        followsCommits(m_dir.filePath(QStringLiteral("follow.db")), 0);
    }

    void followsPostgreSqlByNotice()
    {
        QVERIFY2(m_pgUp, qPrintable(m_pgWhy));
        const QString uri = pgStore();
        QVERIFY(!uri.isEmpty());
        followsCommits(uri, 600'000);
    }

    void reconnectsAfterTheConnectionDropsAndCatchesUp()
    {
        QVERIFY2(m_pgUp, qPrintable(m_pgWhy));
        const QString uri = pgStore();
        QVERIFY(!uri.isEmpty());
        const MarketStore store = MarketStore::open(uri);
        store.writer()->commit(batch(t0, 60));
        StoreFollower follower(uri);
        follower.setPollInterval(600'000);
        QSignalSpy appended(&follower, &StoreFollower::appended);
        QSignalSpy state(&follower, &StoreFollower::stateChanged);
        follower.setActive(true);
        QTRY_COMPARE_WITH_TIMEOUT(follower.state(), QStringLiteral("following"), 10000);

        // The server drops every other connection (an administrator, a failover, a restart).
        {
            PgConnection admin(uri, uri);
            admin.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()");
        }
        // The follower notices, says so, and says when it tries again.
        QTRY_VERIFY_WITH_TIMEOUT(follower.state().startsWith(QLatin1String("store unreachable")), 10000);
        QVERIFY(follower.state().contains(QLatin1String("trying again in")));
        // Written while it was away: the first look after reconnecting reports it.
        store.writer()->commit(batch(t0 + 60 * minute, 3));
        QTRY_COMPARE_WITH_TIMEOUT(follower.state(), QStringLiteral("following"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(appendedKind(appended, DataKind::Candles, t0 + 63 * minute), 10000);
        // And it listens again: the next commit arrives by notice alone.
        appended.clear();
        store.writer()->commit(batch(t0 + 63 * minute, 2));
        QTRY_VERIFY_WITH_TIMEOUT(appendedKind(appended, DataKind::Candles, t0 + 65 * minute), 10000);
    }

    void cleanupTestCase()
    {
        m_cluster.stop();
    }
};

QTEST_GUILESS_MAIN(TestStoreFollower)
#include "tst_storefollower.moc"
