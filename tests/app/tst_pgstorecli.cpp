#include "pgcluster.h"
#include "testutil.h"

#include <QImage>
#include <QTemporaryDir>

// The real perpscope binary on a PostgreSQL store (issue 18): `backfill --source sim` into a
// database of a throwaway cluster, then every command that reads it (export csv of every kind,
// analyze, heatmap-score, coverage, export image, the GUI) works and says what it says on an
// SQLite file filled by the same command line; a second backfill continues the stored run on
// both alike.
class TestPgStoreCli : public QObject
{
    Q_OBJECT

private:
    PgCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_pg;
    QString m_sqlite;

    static QStringList backfill(const QString &db, const QString &end)
    {
        return {QStringLiteral("backfill"), QStringLiteral("--source"), QStringLiteral("sim"), QStringLiteral("--days"), QStringLiteral("1"),
                QStringLiteral("--seed"), QStringLiteral("11"), QStringLiteral("--end"), end, QStringLiteral("--db"), db};
    }

    // Runs a command on both stores: both succeed, and say the same (the store's name aside).
    void sameOnBoth(const QStringList &args, QString *output = nullptr)
    {
        const auto lite = TestUtil::runPerpscope(args + QStringList{QStringLiteral("--db"), m_sqlite});
        const auto pg = TestUtil::runPerpscope(args + QStringList{QStringLiteral("--db"), m_pg});
        const QString what = args.join(QLatin1Char(' '));
        QVERIFY2(lite.exitCode == 0, qPrintable(what + QStringLiteral(" on SQLite: ") + lite.err));
        QVERIFY2(pg.exitCode == 0, qPrintable(what + QStringLiteral(" on PostgreSQL: ") + pg.err));
        QString liteOut = lite.out, pgOut = pg.out;
        liteOut.replace(m_sqlite, QStringLiteral("STORE"));
        pgOut.replace(m_pg, QStringLiteral("STORE"));
        QVERIFY2(!liteOut.trimmed().isEmpty(), qPrintable(what + QStringLiteral(": no output")));
        QCOMPARE(pgOut, liteOut);
        if (output)
            *output = pgOut;
    }

    void exportsAreIdentical()
    {
        const QList<QStringList> exports = {
            {QStringLiteral("--kind"), QStringLiteral("candles")},
            {QStringLiteral("--kind"), QStringLiteral("candles"), QStringLiteral("--timeframe"), QStringLiteral("1h")},
            {QStringLiteral("--kind"), QStringLiteral("mark")},
            {QStringLiteral("--kind"), QStringLiteral("funding")},
            {QStringLiteral("--kind"), QStringLiteral("predicted_funding")},
            {QStringLiteral("--kind"), QStringLiteral("oi")},
            {QStringLiteral("--kind"), QStringLiteral("liquidations")},
            {QStringLiteral("--kind"), QStringLiteral("heatmap"), QStringLiteral("--timeframe"), QStringLiteral("1h")},
        };
        for (const QStringList &e : exports) {
            QString csv;
            sameOnBoth(QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--out"), QStringLiteral("-")} + e, &csv);
            if (QTest::currentTestFailed())
                return;
            QVERIFY2(csv.count(QLatin1Char('\n')) > 2, qPrintable(e.join(QLatin1Char(' '))));
        }
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString why;
        QVERIFY2(m_cluster.start(&why), qPrintable(why));
        m_pg = m_cluster.uri();
        m_sqlite = m_dir.filePath(QStringLiteral("sim.db"));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void backfillThenEveryExportKind()
    {
        const QString end = QStringLiteral("2026-01-31T00:00:00Z");
        const auto pg = TestUtil::runPerpscope(backfill(m_pg, end));
        QVERIFY2(pg.exitCode == 0, qPrintable(pg.err));
        QVERIFY2(pg.out.contains(QStringLiteral("backfilled SIM:BTCUSDT: 1440 1m candles")), qPrintable(pg.out));
        const auto lite = TestUtil::runPerpscope(backfill(m_sqlite, end));
        QVERIFY2(lite.exitCode == 0, qPrintable(lite.err));
        QCOMPARE(pg.out, lite.out);
        exportsAreIdentical();
    }

    void everyReadingCommandWorks()
    {
        sameOnBoth({QStringLiteral("analyze"), QStringLiteral("--from"), QStringLiteral("2026-01-30T06:00:00Z"), QStringLiteral("--to"),
                    QStringLiteral("2026-01-30T18:00:00Z"), QStringLiteral("--json")});
        sameOnBoth({QStringLiteral("heatmap-score"), QStringLiteral("--json")});
        sameOnBoth({QStringLiteral("coverage"), QStringLiteral("--json")});
    }

    void aSecondBackfillContinuesTheStoredRun()
    {
        // Half a day later: the simulator replays the stored run from the store (and checks
        // it matches), then adds the new half day.
        const QString later = QStringLiteral("2026-01-31T12:00:00Z");
        const auto pg = TestUtil::runPerpscope(backfill(m_pg, later));
        QVERIFY2(pg.exitCode == 0, qPrintable(pg.err));
        const auto lite = TestUtil::runPerpscope(backfill(m_sqlite, later));
        QVERIFY2(lite.exitCode == 0, qPrintable(lite.err));
        QCOMPARE(pg.out, lite.out);
        QVERIFY2(pg.out.contains(QStringLiteral("2160 1m candles")), qPrintable(pg.out));
        exportsAreIdentical();
    }

    void theGuiAndImagesOpenIt()
    {
        const QString png = m_dir.filePath(QStringLiteral("price.png")), shot = m_dir.filePath(QStringLiteral("gui.png"));
        const auto image = TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("image"), QStringLiteral("--pane"),
                                                   QStringLiteral("price"), QStringLiteral("--out"), png, QStringLiteral("--db"), m_pg});
        QVERIFY2(image.exitCode == 0, qPrintable(image.err));
        QVERIFY(!QImage(png).isNull());
        const auto gui = TestUtil::runPerpscope({QStringLiteral("--db"), m_pg, QStringLiteral("--source"), QStringLiteral("none"),
                                                 QStringLiteral("--instrument"), QStringLiteral("SIM:BTCUSDT"), QStringLiteral("--screenshot"),
                                                 shot, QStringLiteral("--screenshot-after"), QStringLiteral("2")});
        QVERIFY2(gui.exitCode == 0, qPrintable(gui.err));
        QVERIFY(!QImage(shot).isNull());
    }
};

QTEST_GUILESS_MAIN(TestPgStoreCli)
#include "tst_pgstorecli.moc"
