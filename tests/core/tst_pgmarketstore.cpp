#include "pgcluster.h"
#include "storage/candleaggregator.h"
#include "storage/marketstore.h"
#include "storage/postgres/pgconnection.h"
#include "storage/postgres/pgschema.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <atomic>
#include <thread>

// MarketStore on a PostgreSQL locator, against a throwaway cluster: an empty database becomes
// a store, a foreign, newer or (for a read-only command) older one is refused and left as it
// was, an unreachable server is an error worth retrying, and writers exclude each other as
// SQLite's do.
class TestPgMarketStore : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    int m_next = 0;
    const Instrument m_btc{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000; // 2026-01-01T00:00:00Z

    QString freshDatabase()
    {
        const QString name = QStringLiteral("m%1").arg(++m_next);
        QString why;
        if (!m_cluster.createDatabase(name, &why))
            qFatal("%s", qPrintable(why));
        return m_cluster.uri(name);
    }

    static qint64 tableCount(const QString &uri)
    {
        PgConnection db(uri, uri);
        return db.scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()");
    }

    template<typename F>
    static QString errorOf(F f)
    {
        try {
            f();
        } catch (const StoreError &e) {
            return e.message();
        }
        return {};
    }

    MarketBatch bars(qint64 from, int n, double price)
    {
        std::mt19937_64 rng(quint64(from / 60'000 + n));
        MarketBatch b;
        b.instrument = m_btc;
        b.candles = TestUtil::randomBars(rng, from, n, price);
        return b;
    }

private slots:
    void initTestCase()
    {
        QString why;
        QVERIFY2(m_cluster.start(&why), qPrintable(why));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void anEmptyDatabaseBecomesAStore()
    {
        const QString uri = freshDatabase();
        const MarketStore store = MarketStore::open(uri);
        QCOMPARE(store.schemaVersion(), PgSchema::latestVersion());
        QCOMPARE(store.name(), uri);
        QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
        const qint64 tables = tableCount(uri);
        QVERIFY(tables > 12);
        store.writer()->commit(bars(t0, 90, 100));
        // Opening again changes nothing; the rows are there for every way in.
        QCOMPARE(MarketStore::open(uri).schemaVersion(), PgSchema::latestVersion());
        QCOMPARE(MarketStore::openExisting(uri).reader()->count(m_btc, DataKind::Candles), qint64(90));
        QCOMPARE(MarketStore::openReadOnly(uri).reader()->candles(m_btc, Timeframe::H1, {t0, t0 + 2 * 3'600'000}).size(), 2);
        QCOMPARE(MarketStore::attach(uri).reader()->count(m_btc, DataKind::Candles), qint64(90));
        QCOMPARE(tableCount(uri), tables + 3); // the month's partitions of candles, mark_candles, liquidations
        QVERIFY(MarketStore::holdsData(uri));
        QVERIFY_THROWS_EXCEPTION(StoreError, MarketStore::openReadOnly(uri).writer());
    }

    void readOnlyCommandsRefuseWhatIsNotAStoreOfThisVersion()
    {
        const QString empty = freshDatabase();
        QString e = errorOf([&] { MarketStore::openReadOnly(empty); });
        QVERIFY2(e.contains(QStringLiteral("not a Perpscope store yet")) && e.contains(empty), qPrintable(e));
        QCOMPARE(tableCount(empty), qint64(0)); // a read-only command creates nothing

        const QString older = freshDatabase();
        {
            PgConnection db(older, older);
            PgSchema::migrate(db, 1);
        }
        e = errorOf([&] { MarketStore::openReadOnly(older); });
        QVERIFY2(e.contains(QStringLiteral("schema version 1 is older")), qPrintable(e));
        QCOMPARE(MarketStore::open(older).schemaVersion(), PgSchema::latestVersion()); // a writer migrates it
        MarketStore::open(older).writer()->commit(bars(t0, 5, 100));
        QCOMPARE(MarketStore::openReadOnly(older).reader()->count(m_btc, DataKind::Candles), qint64(5));

        const QString newer = freshDatabase();
        MarketStore::open(newer);
        PgConnection(newer, newer).exec("UPDATE perpscope_schema SET version = 99");
        for (const auto &open : {MarketStore::open, MarketStore::openReadOnly}) {
            e = errorOf([&] { open(newer); });
            QVERIFY2(e.contains(QStringLiteral("schema version 99 is newer")), qPrintable(e));
        }

        const QString foreign = freshDatabase();
        PgConnection(foreign, foreign).exec("CREATE TABLE orders(id bigint PRIMARY KEY)");
        for (const auto &open : {MarketStore::open, MarketStore::openReadOnly}) {
            e = errorOf([&] { open(foreign); });
            QVERIFY2(e.contains(QStringLiteral("not a Perpscope store")) && e.contains(QStringLiteral("left untouched")), qPrintable(e));
        }
        QCOMPARE(tableCount(foreign), qint64(1));
    }

    void anUnreachableServerIsWorthRetrying()
    {
        QTemporaryDir nowhere;
        const QString uri = QStringLiteral("postgresql:///perpscope?host=") + nowhere.path();
        for (const auto &open : {MarketStore::open, MarketStore::openReadOnly}) {
            try {
                open(uri);
                QFAIL("a store without a server was opened");
            } catch (const StoreError &e) {
                QVERIFY2(e.message().startsWith(QStringLiteral("database ") + uri + QStringLiteral(": PostgreSQL store: cannot connect")),
                         qPrintable(e.message()));
                QVERIFY(e.isRetryable());
            }
        }
        // attach() does no I/O; its readers and writers connect when asked, and say so then.
        const MarketStore attached = MarketStore::attach(uri);
        QVERIFY_THROWS_EXCEPTION(StoreError, attached.reader());
    }

    void aWriterWaitsWhileAnotherHoldsATransaction()
    {
        // As with SQLite's BEGIN IMMEDIATE: while a replacement runs, another writer's commit
        // waits for it, so the tiers it rebuilds include every committed 1m bar.
        const QString uri = freshDatabase();
        const MarketStore store = MarketStore::open(uri);
        auto a = store.writer();
        a->commit(bars(t0, 60, 100));
        a->beginReplacement({m_btc});
        a->commit(bars(t0, 30, 200));
        std::atomic<bool> committed{false};
        QString failure;
        std::thread other([&] {
            try {
                store.writer()->commit(bars(t0 + 30 * 60'000, 30, 300));
            } catch (const StoreError &e) {
                failure = e.message();
            }
            committed = true;
        });
        QTest::qWait(300);
        const bool waited = !committed.load();
        a->finishReplacement();
        other.join();
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY(waited);
        auto r = store.reader();
        const QVector<Candle> minutes = r->candles(m_btc, Timeframe::M1, {t0, t0 + 3'600'000});
        QCOMPARE(minutes.size(), 60);
        QCOMPARE(r->candles(m_btc, Timeframe::H1, {t0, t0 + 1}).value(0), CandleAggregator::aggregate(t0, minutes));
    }
};

QTEST_GUILESS_MAIN(TestPgMarketStore)
#include "tst_pgmarketstore.moc"
