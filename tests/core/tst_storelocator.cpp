#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storelocator.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

// StoreLocator: what --db (and every holder of a store) names, parsed once; MarketStore is
// the only way from it to a reader or a writer.
class TestStoreLocator : public QObject
{
    Q_OBJECT

private slots:
    void filePathsAreSqlite()
    {
        for (const QString &text : {QStringLiteral("/tmp/x.db"), QStringLiteral("relative/perpscope.db"), QStringLiteral("x.db"),
                                    QStringLiteral("/data/a:b.db"), QStringLiteral("file with spaces.db")}) {
            const StoreLocator l(text);
            QVERIFY2(l.isValid(), qPrintable(text));
            QVERIFY(l.isSqlite());
            QCOMPARE(l.filePath(), text);
            QCOMPARE(l.display(), text);
            QCOMPARE(StoreLocator::parse(l.text()), l);
        }
    }

    void libpqUrisArePostgreSql()
    {
        for (const QString &text : {QStringLiteral("postgresql://rec@db.example/perpscope"),
                                    QStringLiteral("postgresql:///perpscope?host=/run/postgresql"),
                                    QStringLiteral("postgres://localhost:5433/market"), QStringLiteral("PostgreSQL://h/db")}) {
            const StoreLocator l(text);
            QVERIFY2(l.isPostgreSql(), qPrintable(text + QLatin1Char(' ') + l.error()));
            QVERIFY(l.filePath().isEmpty()); // never mistaken for a file
            QCOMPARE(StoreLocator::parse(l.text()), l);
        }
    }

    void passwordsStayOutOfMessages()
    {
        const StoreLocator l(QStringLiteral("postgresql://rec:s3cret@db.example/perpscope"));
        QVERIFY(l.isPostgreSql());
        QVERIFY2(!l.display().contains(QStringLiteral("s3cret")), qPrintable(l.display()));
        QVERIFY2(l.display().contains(QStringLiteral("db.example/perpscope")), qPrintable(l.display()));
        QCOMPARE(l.text(), QStringLiteral("postgresql://rec:s3cret@db.example/perpscope")); // kept for connecting
    }

    void badTextIsRefusedWithTheReason()
    {
        const StoreLocator empty{QString()};
        QVERIFY(!empty.isValid());
        QVERIFY2(empty.error().contains(QStringLiteral("no database given")), qPrintable(empty.error()));
        const StoreLocator other(QStringLiteral("mysql://h/db"));
        QVERIFY(!other.isValid());
        QVERIFY2(other.error().contains(QStringLiteral("unknown kind of store 'mysql'")), qPrintable(other.error()));
        QVERIFY2(other.error().contains(QStringLiteral("postgresql://")), qPrintable(other.error()));
        try {
            MarketStore::open(other);
            QFAIL("an unknown kind of store was opened");
        } catch (const StoreError &e) {
            QCOMPARE(e.message(), other.error());
        }
    }

    void readersAndWritersComeFromTheStore()
    {
        QTemporaryDir dir;
        const StoreLocator l(dir.filePath(QStringLiteral("m.db")));
        const MarketStore store = MarketStore::open(l);
        QCOMPARE(store.locator(), l);
        MarketBatch b;
        b.instrument = {QStringLiteral("TEST"), QStringLiteral("BTCUSDT")};
        b.candles = {{1'700'000'040'000 - 1'700'000'040'000 % 60'000, 10, 11, 9, 10.5, 1, 10, 0.5}};
        store.writer()->commit(b);
        // attach() (no checks, no I/O) reads what open() made.
        QCOMPARE(MarketStore::attach(l).reader()->count(b.instrument, DataKind::Candles), qint64(1));
        QVERIFY(MarketStore::holdsData(l));
        QVERIFY(!MarketStore::holdsData(StoreLocator(dir.filePath(QStringLiteral("none.db")))));
        // A read-only store gives no writer.
        QVERIFY_THROWS_EXCEPTION(StoreError, MarketStore::openReadOnly(l).writer());
    }
};

QTEST_GUILESS_MAIN(TestStoreLocator)
#include "tst_storelocator.moc"
