#include "pgcluster.h"
#include "storage/postgres/pgconnection.h"
#include "storage/postgres/pgschema.h"
#include "storage/storeerror.h"
#include "testutil.h"

#include <cmath>
#include <limits>

// The PostgreSQL store's schema and connection against a real server: a throwaway cluster
// (PgCluster) that every run starts; a test fails, saying why, when it cannot.
class TestPgSchema : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    int m_next = 0;

    // A fresh database per test case.
    QString freshDatabase()
    {
        const QString name = QStringLiteral("t%1").arg(++m_next);
        QString why;
        if (!m_cluster.createDatabase(name, &why))
            qFatal("%s", qPrintable(why));
        return m_cluster.uri(name);
    }

private slots:
    void initTestCase()
    {
        QString why;
        QVERIFY2(m_cluster.start(&why), qPrintable(why));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void migratesAnEmptyDatabaseAndRecordsTheVersion()
    {
        PgConnection db(freshDatabase(), QStringLiteral("test"));
        QCOMPARE(PgSchema::version(db), 0);
        PgSchema::migrate(db);
        QCOMPARE(PgSchema::version(db), PgSchema::latestVersion());
        for (const char *t : {"instruments", "candles", "mark_candles", "funding", "funding_predicted", "open_interest", "liquidations",
                              "ground_truth", "meta", "line_bars", "liq_bars", "coverage", "margin_tiers"})
            QVERIFY2(db.scalar("SELECT COUNT(*) FROM pg_class WHERE relname = $1", {QByteArray(t)}) == 1, t);
        // The large tables are partitioned by range of ts.
        for (const char *t : PgSchema::partitioned)
            QCOMPARE(db.query("SELECT partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = $1",
                              {QByteArray(t)})
                         .string(0, 0),
                     QStringLiteral("r"));
        // Opening again changes nothing.
        PgSchema::migrate(db);
        QCOMPARE(PgSchema::version(db), PgSchema::latestVersion());
        QCOMPARE(db.scalar("SELECT COUNT(*) FROM perpscope_schema"), qint64(1));
    }

    void refusesAForeignDatabaseAndLeavesItAlone()
    {
        PgConnection db(freshDatabase(), QStringLiteral("test"));
        db.exec("CREATE TABLE orders(id bigint PRIMARY KEY)");
        QCOMPARE(PgSchema::version(db), -1);
        try {
            PgSchema::migrate(db);
            QFAIL("a foreign database was migrated");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("not a Perpscope store (tables: orders)")), qPrintable(e.message()));
        }
        QCOMPARE(db.scalar("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()"), qint64(1));
    }

    void refusesANewerSchema()
    {
        PgConnection db(freshDatabase(), QStringLiteral("test"));
        PgSchema::migrate(db);
        db.exec("UPDATE perpscope_schema SET version = 999");
        try {
            PgSchema::migrate(db);
            QFAIL("a newer schema was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("schema version 999 is newer")), qPrintable(e.message()));
        }
        QCOMPARE(PgSchema::version(db), 999);
    }

    void monthlyPartitionsAreMadeAsRowsArrive()
    {
        PgConnection db(freshDatabase(), QStringLiteral("test"));
        PgSchema::migrate(db);
        const qint64 jan31 = 1'769'817'600'000; // 2026-01-31T00:00:00Z
        const qint64 feb2 = jan31 + 2 * 86'400'000;
        db.exec("BEGIN");
        PgSchema::ensurePartitions(db, jan31, feb2);
        PgSchema::ensurePartitions(db, jan31, feb2); // again: nothing new
        db.exec("COMMIT");
        for (const char *name : {"candles_202601", "candles_202602", "liquidations_202601", "mark_candles_202602"})
            QVERIFY2(db.scalar("SELECT COUNT(*) FROM pg_class WHERE relname = $1", {QByteArray(name)}) == 1, name);
        QCOMPARE(db.scalar("SELECT COUNT(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'candles'"), qint64(2));
        // A row lands in its month's partition; a second write of the same key is an upsert.
        const char *upsert = "INSERT INTO candles(instrument,tf,ts,open,high,low,close,volume,quote_volume,taker_buy) "
                             "VALUES($1,1,$2,$3,$3,$3,$3,1,1,0) ON CONFLICT(instrument,tf,ts) DO UPDATE SET close=excluded.close";
        db.query(upsert, {"1", PgConnection::param(feb2 - 60'000), PgConnection::param(0.1 + 0.2)});
        db.query(upsert, {"1", PgConnection::param(feb2 - 60'000), PgConnection::param(1.0 / 3.0)});
        QCOMPARE(db.scalar("SELECT COUNT(*) FROM candles_202602"), qint64(1));
        QCOMPARE(db.scalar("SELECT COUNT(*) FROM candles_202601"), qint64(0));
        // Doubles come back bit for bit (0.1 + 0.2 is not 0.3; 1/3 has 17 significant digits).
        const PgConnection::Result r = db.query("SELECT open, close FROM candles");
        QCOMPARE(r.real(0, 0), 0.1 + 0.2);
        QCOMPARE(r.real(0, 1), 1.0 / 3.0);
        // A month without a partition is refused, not silently stored elsewhere.
        QVERIFY_THROWS_EXCEPTION(StoreError, db.query(upsert, {"1", PgConnection::param(feb2 + 40LL * 86'400'000), "1"}));
    }

    void partitionsOfARolledBackBatchAreGone()
    {
        PgConnection db(freshDatabase(), QStringLiteral("test"));
        PgSchema::migrate(db);
        db.exec("BEGIN");
        PgSchema::ensurePartitions(db, 1'767'225'600'000, 1'767'225'660'000); // 2026-01-01
        db.exec("ROLLBACK");
        QCOMPARE(db.scalar("SELECT COUNT(*) FROM pg_class WHERE relname = 'candles_202601'"), qint64(0));
    }

    void errorsNameTheStoreAndSayWhetherToRetry()
    {
        try {
            PgConnection db(QStringLiteral("postgresql:///nosuchdb?host=") + m_cluster.socketDir() + QStringLiteral("&user=perpscope"),
                            QStringLiteral("postgresql:///nosuchdb"));
            QFAIL("connected to a database that does not exist");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().startsWith(QStringLiteral("database postgresql:///nosuchdb: PostgreSQL store: cannot connect")),
                     qPrintable(e.message()));
            QVERIFY(e.isRetryable());
        }
        PgConnection db(freshDatabase(), QStringLiteral("test"));
        try {
            db.exec("SELECT * FROM no_such_table");
            QFAIL("a bad statement ran");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(QStringLiteral("no_such_table")), qPrintable(e.message()));
            QVERIFY(!e.isRetryable());
        }
        QCOMPARE(PgConnection::param(std::numeric_limits<double>::quiet_NaN()), QByteArray("NaN"));
        QVERIFY(std::isnan(db.query("SELECT 'NaN'::double precision").real(0, 0)));
    }
};

QTEST_GUILESS_MAIN(TestPgSchema)
#include "tst_pgschema.moc"
