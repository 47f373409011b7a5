#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QFile>

// `perpscope backfill --source sim` as a script runs it: scenario presets and parameters,
// and one clear line with exit code 2 for a bad one (nothing is created then).
class TestSimBackfill : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    void expectUsageError(const QStringList &extra, const QString &needle)
    {
        const QString db = m_dir.filePath(QStringLiteral("bad.db"));
        QStringList args{QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--days"), QStringLiteral("1")};
        const auto r = TestUtil::runPerpscope(args + extra);
        QVERIFY2(r.exitCode == 2, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.exitCode).arg(r.err)));
        const QStringList lines = r.err.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1);
        QVERIFY2(lines[0].startsWith(QLatin1String("perpscope: ")) && lines[0].contains(needle), qPrintable(r.err));
        QVERIFY(!QFile::exists(db));
    }

private slots:
    void simIsTheDefaultSourceAndTakesParameters()
    {
        const QString db = m_dir.filePath(QStringLiteral("sim.db"));
        const auto r = TestUtil::runPerpscope({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--days"), QStringLiteral("1"),
                                               QStringLiteral("--seed"), QStringLiteral("9"), QStringLiteral("--preset"), QStringLiteral("crash"),
                                               QStringLiteral("--param"), QStringLiteral("agents=4000"), QStringLiteral("--param"),
                                               QStringLiteral("depth = 1.5e6"), QStringLiteral("--end"), QStringLiteral("2026-01-02T00:00:00Z")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("backfilled SIM:BTCUSDT: 1440 1m candles from 2026-01-01T00:00:00Z to 2026-01-02T00:00:00Z, 3 funding, 1440 OI")),
                 qPrintable(r.out));
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->meta(QStringLiteral("sim.seed")), QStringLiteral("9"));
        QCOMPARE(reader->meta(QStringLiteral("sim.preset")), QStringLiteral("crash"));
        QCOMPARE(reader->meta(QStringLiteral("sim.param.agents")), QStringLiteral("4000"));
        QCOMPARE(reader->meta(QStringLiteral("sim.param.depth")), QStringLiteral("1500000"));
        QVERIFY(reader->count({QStringLiteral("SIM"), QStringLiteral("BTCUSDT")}, DataKind::GroundTruth) > 0);
    }

    void badScenarioInputIsAUsageError_data()
    {
        QTest::addColumn<QStringList>("extra");
        QTest::addColumn<QString>("needle");
        QTest::newRow("negative agents") << QStringList{QStringLiteral("--param"), QStringLiteral("agents=-5")} << QStringLiteral("parameter 'agents' must be");
        QTest::newRow("zero depth") << QStringList{QStringLiteral("--param"), QStringLiteral("depth=0")} << QStringLiteral("parameter 'depth' must be");
        QTest::newRow("unknown preset") << QStringList{QStringLiteral("--preset"), QStringLiteral("mayhem")} << QStringLiteral("unknown preset 'mayhem'");
        QTest::newRow("unknown parameter") << QStringList{QStringLiteral("--param"), QStringLiteral("lev=3")} << QStringLiteral("unknown parameter 'lev'");
        QTest::newRow("no value") << QStringList{QStringLiteral("--param"), QStringLiteral("depth")} << QStringLiteral("--param: expected key=value (got 'depth')");
        QTest::newRow("twice") << QStringList{QStringLiteral("--param"), QStringLiteral("depth=1e6"), QStringLiteral("--param"), QStringLiteral("depth=2e6")}
                               << QStringLiteral("--param: 'depth' is given twice");
        QTest::newRow("other source") << QStringList{QStringLiteral("--source"), QStringLiteral("synthetic"), QStringLiteral("--param"), QStringLiteral("depth=1e6")}
                                      << QStringLiteral("--param is only for --source sim");
    }

    void badScenarioInputIsAUsageError()
    {
        QFETCH(QStringList, extra);
        QFETCH(QString, needle);
        expectUsageError(extra, needle);
    }
};

QTEST_GUILESS_MAIN(TestSimBackfill)
#include "tst_simbackfill.moc"
