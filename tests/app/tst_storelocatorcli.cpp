#include "testutil.h"

#include <QTemporaryDir>

// --db goes through StoreLocator in every command and the GUI: a PostgreSQL URI is a
// PostgreSQL store (a clear one-line error when it cannot be used, never a file of that
// name and never a crash), and text naming no kind of store is a usage error.
class TestStoreLocatorCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QList<QStringList> commands()
    {
        return {
            {QStringLiteral("backfill"), QStringLiteral("--source"), QStringLiteral("synthetic"), QStringLiteral("--days"), QStringLiteral("1")},
            {QStringLiteral("import"), QStringLiteral(PERPSCOPE_TEST_DATA "/binance/LINKUSDT-1m-2023-02-01.csv")},
            {QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--kind"), QStringLiteral("candles"), QStringLiteral("--out"),
             QStringLiteral("OUT")},
            {QStringLiteral("export"), QStringLiteral("image"), QStringLiteral("--pane"), QStringLiteral("price"), QStringLiteral("--out"),
             QStringLiteral("OUT.png")},
            {QStringLiteral("analyze"), QStringLiteral("--from"), QStringLiteral("2026-01-01T00:00:00Z"), QStringLiteral("--to"),
             QStringLiteral("2026-01-02T00:00:00Z")},
            {QStringLiteral("heatmap-score")},
            {QStringLiteral("coverage")},
        };
    }

    QStringList withDb(QStringList args, const QString &db) const
    {
        for (QString &a : args)
            if (a.startsWith(QLatin1String("OUT")))
                a = m_dir.filePath(a);
        args << QStringLiteral("--db") << db;
        return args;
    }

private slots:
    void postgresqlUriIsNeverAFile()
    {
        // No server listens in this folder: whatever the build, the store cannot be used.
        const QString uri = QStringLiteral("postgresql:///perpscope?host=") + m_dir.path();
        for (const QStringList &c : commands()) {
            const auto r = TestUtil::runPerpscope(withDb(c, uri));
            const QString what = c.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err;
            QVERIFY2(r.exitCode == 1, qPrintable(what));
            QVERIFY2(r.err.contains(QStringLiteral("PostgreSQL")), qPrintable(what));
            QVERIFY2(r.err.contains(uri), qPrintable(what));
            QVERIFY2(r.err.trimmed().count(QLatin1Char('\n')) == 0, qPrintable(what)); // one line
        }
        QVERIFY2(QDir(m_dir.path()).entryList(QDir::Files).isEmpty(), qPrintable(QDir(m_dir.path()).entryList().join(QLatin1Char(' '))));
        QVERIFY(!QFileInfo::exists(QStringLiteral("postgresql:")));
    }

    void unknownKindOfStoreIsAUsageError()
    {
        QList<QStringList> all = commands();
        all << QStringList{}; // the GUI
        for (const QStringList &c : std::as_const(all)) {
            const auto r = TestUtil::runPerpscope(withDb(c, QStringLiteral("mysql://h/db")));
            const QString what = c.join(QLatin1Char(' ')) + QStringLiteral(": ") + r.err;
            QVERIFY2(r.exitCode == 2, qPrintable(what));
            QVERIFY2(r.err.contains(QStringLiteral("unknown kind of store 'mysql'")), qPrintable(what));
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreLocatorCli)
#include "tst_storelocatorcli.moc"
