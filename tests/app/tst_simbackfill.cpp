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

    // A second backfill on the same database continues the stored market (issue 12.3);
    // another seed needs --replace.
    void aSecondBackfillContinuesAndReplacingIsExplicit()
    {
        const QString db = m_dir.filePath(QStringLiteral("again.db"));
        const Instrument sim{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
        const auto base = [&](const QString &end) {
            return QStringList{QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--days"), QStringLiteral("0.25"),
                               QStringLiteral("--param"), QStringLiteral("agents=8000"), QStringLiteral("--end"), end};
        };
        auto r = TestUtil::runPerpscope(base(QStringLiteral("2026-01-31T00:00:00Z")), 240'000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QStringLiteral("simulating a new market (treadmill · seed 42 · agents=8000) from 2026-01-30 18:00 UTC")), qPrintable(r.out));
        const QVector<Candle> first = MarketStore::openExisting(db).reader()->candles(sim, Timeframe::M1, {0, 1'900'000'000'000});
        QCOMPARE(first.size(), 360);

        // Three hours later, the same market: nothing stored changes, three hours are added.
        r = TestUtil::runPerpscope(base(QStringLiteral("2026-01-31T03:00:00Z")), 240'000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QStringLiteral("continuing the stored simulated market (treadmill · seed 42 · agents=8000) from 2026-01-30 23:59 UTC")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("540 1m candles from 2026-01-30T18:00:00Z to 2026-01-31T03:00:00Z")), qPrintable(r.out));
        const QVector<Candle> both = MarketStore::openExisting(db).reader()->candles(sim, Timeframe::M1, {0, 1'900'000'000'000});
        QVERIFY(both.mid(0, 360) == first);

        // Another seed is refused (exit 2, nothing written) unless --replace says so.
        r = TestUtil::runPerpscope(base(QStringLiteral("2026-01-31T03:00:00Z")) << QStringLiteral("--seed") << QStringLiteral("7"), 240'000);
        QVERIFY2(r.exitCode == 2 && r.err.contains(QLatin1String("pass --replace")), qPrintable(r.err));
        QVERIFY(MarketStore::openExisting(db).reader()->candles(sim, Timeframe::M1, {0, 1'900'000'000'000}) == both);
        r = TestUtil::runPerpscope(base(QStringLiteral("2026-01-31T03:00:00Z")) << QStringLiteral("--seed") << QStringLiteral("7") << QStringLiteral("--replace"),
                                   240'000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->count(sim, DataKind::Candles), qint64(360));
        QCOMPARE(reader->extent(sim, DataKind::Candles).from, qint64(1'769'817'600'000 - 6 * 3600'000 + 3 * 3600'000));
        QCOMPARE(reader->meta(QStringLiteral("sim.seed")), QStringLiteral("7"));
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
        QTest::newRow("replace other source") << QStringList{QStringLiteral("--source"), QStringLiteral("synthetic"), QStringLiteral("--replace")}
                                              << QStringLiteral("--replace is only for --source sim");
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
