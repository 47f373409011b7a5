#include "storage/marketstore.h"
#include "storage/schema.h"
#include "storage/sqliteconnection.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QFile>
#include <QFileInfo>

#include <sys/stat.h>
#include <unistd.h>

class TestMarketStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QByteArray readAll(const QString &path)
    {
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        return f.readAll();
    }

    // Expects open() to fail with a message naming the file and `reason`, and the file to be
    // byte-for-byte unchanged afterwards.
    void expectRejected(const QString &path, const QString &reason)
    {
        const QByteArray before = readAll(path);
        try {
            MarketStore::open(path);
            QFAIL("the file was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(path), qPrintable(e.message()));
            QVERIFY2(e.message().contains(reason), qPrintable(e.message()));
        }
        QCOMPARE(readAll(path), before);
    }

    // Header bytes 18-19: 1,1 for a rollback journal, 2,2 once a file is WAL.
    static QByteArray journalBytes(const QString &path) { return readAll(path).mid(18, 2); }

    void expectReadOnlyRefused(const QString &path, const QString &reason)
    {
        const QByteArray before = readAll(path);
        try {
            MarketStore::openReadOnly(path);
            QFAIL("the file was accepted");
        } catch (const StoreError &e) {
            QVERIFY2(e.message().contains(reason), qPrintable(e.message()));
        }
        QCOMPARE(readAll(path), before);
    }

    // Runs f as user nobody when running as root (root ignores folder permissions, so a
    // read-only folder is only read-only to someone else).
    template<typename F>
    static void asUnprivileged(F f)
    {
        const bool root = ::geteuid() == 0;
        if (root && ::seteuid(65534) != 0)
            QFAIL("cannot switch to user nobody");
        f();
        if (root && ::seteuid(0) != 0)
            qFatal("cannot switch back to root");
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // 15.5: "left untouched" while PRAGMA journal_mode=WAL had already rewritten the header.
    void foreignAndNewerFilesKeepTheirJournalMode()
    {
        const QString foreign = m_dir.filePath(QStringLiteral("rollback-foreign.db"));
        {
            SqliteConnection db(foreign, SqliteConnection::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES('ann')");
        }
        QCOMPARE(journalBytes(foreign), QByteArray("\x01\x01", 2));
        expectRejected(foreign, QStringLiteral("not a Perpscope database"));
        expectReadOnlyRefused(foreign, QStringLiteral("not a Perpscope database"));
        QCOMPARE(journalBytes(foreign), QByteArray("\x01\x01", 2));

        const QString newer = m_dir.filePath(QStringLiteral("rollback-newer.db"));
        {
            SqliteConnection db(newer, SqliteConnection::Mode::ReadWriteCreate);
            Schema::migrate(db);
            db.exec("PRAGMA user_version=99");
        }
        QCOMPARE(journalBytes(newer), QByteArray("\x01\x01", 2));
        expectRejected(newer, QStringLiteral("schema version 99 is newer"));
        expectReadOnlyRefused(newer, QStringLiteral("schema version 99 is newer"));
        QCOMPARE(journalBytes(newer), QByteArray("\x01\x01", 2));
    }

    // Read-only commands migrated an older schema and initialised a 0-byte file.
    void readOnlyNeverMigratesOrInitialises()
    {
        const QString v1 = m_dir.filePath(QStringLiteral("ro-v1.db"));
        {
            SqliteConnection db(v1, SqliteConnection::Mode::ReadWriteCreate);
            Schema::migrate(db, 1);
            db.enableWal();
        }
        expectReadOnlyRefused(v1, QStringLiteral("schema version 1 is older"));
        QCOMPARE(SqliteConnection(v1, SqliteConnection::Mode::ReadOnly).scalar("PRAGMA user_version"), 1);

        const QString empty = m_dir.filePath(QStringLiteral("ro-empty.db"));
        QFile f(empty);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        expectReadOnlyRefused(empty, QStringLiteral("the file is empty"));
        QCOMPARE(QFileInfo(empty).size(), 0);
        QVERIFY_THROWS_EXCEPTION(StoreError, MarketStore::openReadOnly(m_dir.filePath(QStringLiteral("ro-missing.db"))));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("ro-missing.db"))));
    }

    // A database in a folder nobody may write to: SQLite cannot make the -shm file a WAL
    // database needs; reading still works, and nothing appears in the folder.
    void readOnlyWorksInAReadOnlyFolder()
    {
        const QString folder = m_dir.filePath(QStringLiteral("ro-folder"));
        QVERIFY(QDir().mkpath(folder));
        const QString path = folder + QStringLiteral("/history.db");
        const Instrument i{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
        {
            MarketBatch b;
            b.instrument = i;
            b.funding = {{1'700'000'000'000, 0.0001, 8}, {1'700'028'800'000, 0.0002, 8}};
            MarketStore::open(path).writer()->commit(b);
        }
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal"))); // closed cleanly: checkpointed and removed
        QCOMPARE(::chmod(QFile::encodeName(m_dir.path()).constData(), 0755), 0);
        QCOMPARE(::chmod(QFile::encodeName(path).constData(), 0444), 0);
        QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0555), 0);
        const QStringList before = QDir(folder).entryList(QDir::Files);
        qint64 count = -1;
        QString error;
        asUnprivileged([&] {
            try {
                const MarketStore store = MarketStore::openReadOnly(path);
                count = store.reader()->count(i, DataKind::Funding);
                QVERIFY_THROWS_EXCEPTION(StoreError, store.writer());
            } catch (const StoreError &e) {
                error = e.message();
            }
        });
        QCOMPARE(::chmod(QFile::encodeName(folder).constData(), 0755), 0);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(count, 2);
        QCOMPARE(QDir(folder).entryList(QDir::Files), before); // no -shm, no -wal
    }

    void createsAndReopens()
    {
        const QString path = m_dir.filePath(QStringLiteral("sub/dir/new.db"));
        const MarketStore store = MarketStore::open(path);
        QCOMPARE(store.schemaVersion(), Schema::latestVersion());
        QVERIFY(QFile::exists(path));
        {
            MarketBatch b;
            b.instrument = {QStringLiteral("SIM"), QStringLiteral("ETHUSDT")};
            b.funding = {{1000, 0.0001, 8}};
            store.writer()->commit(b);
        }
        const MarketStore again = MarketStore::open(path);
        QCOMPARE(again.reader()->count({QStringLiteral("SIM"), QStringLiteral("ETHUSDT")}, DataKind::Funding), 1);
        QCOMPARE(again.integrityCheck(), QStringLiteral("ok"));
        SqliteConnection raw(path, SqliteConnection::Mode::ReadWrite);
        QCOMPARE(raw.scalar("PRAGMA application_id"), qint64(Schema::applicationId));
        SqliteStatement mode = raw.prepare("PRAGMA journal_mode");
        QVERIFY(mode.step());
        QCOMPARE(mode.text(0), QStringLiteral("wal"));
        QCOMPARE(raw.scalar("PRAGMA synchronous"), 1); // NORMAL on every connection
    }

    void openExistingDoesNotCreate()
    {
        const QString path = m_dir.filePath(QStringLiteral("missing.db"));
        QVERIFY_THROWS_EXCEPTION(StoreError, MarketStore::openExisting(path));
        QVERIFY(!QFile::exists(path));
    }

    void rejectsNonSqliteFile()
    {
        const QString path = m_dir.filePath(QStringLiteral("notes.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("ts,open,high\n1,2,3\nthis is a CSV file, not a database\n");
        f.close();
        expectRejected(path, QStringLiteral("not SQLite"));
    }

    void rejectsForeignSqliteDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("foreign.db"));
        {
            SqliteConnection db(path, SqliteConnection::Mode::ReadWriteCreate);
            db.exec("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES('ann')");
        }
        expectRejected(path, QStringLiteral("not a Perpscope database"));
        SqliteConnection db(path, SqliteConnection::Mode::ReadWrite);
        QCOMPARE(db.scalar("SELECT COUNT(*) FROM customers"), 1);
        QCOMPARE(db.scalar("PRAGMA user_version"), 0);
    }

    void rejectsNewerSchema()
    {
        const QString path = m_dir.filePath(QStringLiteral("future.db"));
        MarketStore::open(path);
        {
            SqliteConnection db(path, SqliteConnection::Mode::ReadWrite);
            db.exec("PRAGMA user_version=99");
        }
        expectRejected(path, QStringLiteral("schema version 99 is newer"));
    }

    void rejectsCorruptDatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("corrupt.db"));
        {
            auto w = MarketStore::open(path).writer();
            std::mt19937_64 rng(3);
            MarketBatch b;
            b.instrument = {QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
            b.candles = TestUtil::randomBars(rng, 1'767'225'600'000, 5000);
            w->commit(b);
        }
        {
            SqliteConnection db(path, SqliteConnection::Mode::ReadWrite);
            db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(100); // just past the file header: the schema page's b-tree header
        f.write(QByteArray(4000, '\xA5'));
        f.close();
        expectRejected(path, QStringLiteral("corrupt"));
    }

    void emptyFileBecomesADatabase()
    {
        const QString path = m_dir.filePath(QStringLiteral("empty.db"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QCOMPARE(MarketStore::open(path).schemaVersion(), Schema::latestVersion());
    }

    void migratesFromVersion1()
    {
        const QString path = m_dir.filePath(QStringLiteral("v1.db"));
        {
            SqliteConnection db(path, SqliteConnection::Mode::ReadWriteCreate);
            Schema::migrate(db, 1);
            QCOMPARE(db.scalar("PRAGMA user_version"), 1);
            db.exec("INSERT INTO instruments(id, exchange, symbol) VALUES(1, 'BINANCE', 'BTCUSDT');"
                    "INSERT INTO candles VALUES(1, 1, 60000, 10, 12, 9, 11, 5, 55, 2);"
                    "INSERT INTO funding VALUES(1, 0, 0.0001, 8);"
                    "INSERT INTO open_interest VALUES(1, 60000, 100, 1000), (1, 90000, 120, 1300), (1, 400000, 90, 900);"
                    "INSERT INTO liquidations VALUES(1, 61000, 0, 0, 10, 2, 1), (1, 62000, 0, 1, 11, 1, 0);");
        }
        const MarketStore store = MarketStore::open(path);
        QCOMPARE(store.schemaVersion(), Schema::latestVersion());
        const Instrument btc{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};
        auto r = store.reader();
        QCOMPARE(r->candles(btc, Timeframe::M1, {0, 120'000}).value(0), (Candle{60'000, 10, 12, 9, 11, 5, 55, 2}));
        QCOMPARE(r->liquidationFeed(btc), QStringLiteral("unknown")); // the v2 column got its default
        // v3 summaries were built from the rows that were there before.
        QCOMPARE(r->lineBars(btc, LineSeries::OpenInterest, Timeframe::M1, {0, 1'000'000}),
                 (QVector<LineBar>{{60'000, 100, 120, 100, 120}, {360'000, 90, 90, 90, 90}}));
        QCOMPARE(r->lineBars(btc, LineSeries::OpenInterestUsd, Timeframe::M5, {0, 1'000'000}),
                 (QVector<LineBar>{{0, 1000, 1300, 1000, 1300}, {300'000, 900, 900, 900, 900}}));
        const auto liq = r->liquidationBars(btc, Timeframe::D1, {0, 1'000'000});
        QCOMPARE(liq.size(), 1);
        QCOMPARE(liq[0], (LiquidationBar{0, 20, 11, 2, 1, 1, 1, 20}));
        MarketBatch b;
        b.instrument = btc;
        b.groundTruth = {{0, Liquidation::Side::Long, 5, 1.0}};
        store.writer()->commit(b); // the v2 table exists
        QCOMPARE(r->groundTruth(btc, {0, 1}).size(), 1);
    }
    // v5: taker-buy coverage for what was stored before it, from the candles' coverage,
    // except for an instrument whose venue noted that its klines have none (Bybit, OKX).
    void migratesTakerBuyCoverageFromVersion4()
    {
        const QString path = m_dir.filePath(QStringLiteral("v4.db"));
        {
            SqliteConnection db(path, SqliteConnection::Mode::ReadWriteCreate);
            Schema::migrate(db, 4);
            db.exec("INSERT INTO instruments(id, exchange, symbol) VALUES(1, 'BINANCE', 'BTCUSDT'), (2, 'BYBIT', 'BTCUSDT');"
                    "INSERT INTO candles VALUES(1, 1, 60000, 10, 12, 9, 11, 5, 55, 2), (2, 1, 60000, 10, 12, 9, 11, 5, 55, 0);"
                    "INSERT INTO coverage VALUES(1, 0, 2, 60000, 60000, 120000, 'binance rest'), (2, 0, 2, 60000, 60000, 120000, 'bybit rest');"
                    "INSERT INTO meta(key, value) VALUES('taker_buy_note.BYBIT:BTCUSDT', 'Bybit klines carry no taker-buy volume');");
        }
        auto r = MarketStore::open(path).reader();
        const TimeRange bar{60'000, 120'000};
        QVERIFY(r->coverageSummary({QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")}, DataKind::TakerBuy, bar).isFull());
        QVERIFY(r->coverageSummary({QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")}, DataKind::Candles, bar).isFull());
        QVERIFY(r->coverageSummary({QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")}, DataKind::TakerBuy, bar).isNone());
    }
};

QTEST_GUILESS_MAIN(TestMarketStore)
#include "tst_marketstore.moc"
