#include "commandline.h"
#include "analysis/heatmapengine.h"
#include "analysis/heatmapfeed.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

// Drives the real perpscope binary as a script would: exit codes, one-line errors on
// stderr, results on stdout or in files.
class TestCommandLine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

    static void expectFailure(const QStringList &args, int code, const QString &needle)
    {
        const auto r = TestUtil::runPerpscope(args);
        QVERIFY2(r.exitCode == code, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.exitCode).arg(r.err)));
        const QStringList lines = r.err.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), 1); // one clear line, no stack of noise
        QVERIFY2(lines[0].startsWith(QLatin1String("perpscope: ")), qPrintable(r.err));
        QVERIFY2(lines[0].contains(needle), qPrintable(r.err));
    }

private slots:
    void initTestCase()
    {
        m_db = m_dir.filePath(QStringLiteral("cli.db"));
        const auto r = TestUtil::runPerpscope({QStringLiteral("backfill"), QStringLiteral("--db"), m_db, QStringLiteral("--source"),
                                               QStringLiteral("synthetic"), QStringLiteral("--days"), QStringLiteral("3"),
                                               QStringLiteral("--end"), QStringLiteral("2026-01-04T00:00:00Z")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("backfilled SYNTH:BTCUSDT: 4320 1m candles from 2026-01-01T00:00:00Z to 2026-01-04T00:00:00Z")));
    }

    void versionAndHelp()
    {
        auto r = TestUtil::runPerpscope({QStringLiteral("--version")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.trimmed(), QStringLiteral("perpscope " PERPSCOPE_VERSION));
        r = TestUtil::runPerpscope({QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        for (const char *word : {"backfill", "export csv", "--db", "ISO-8601"})
            QVERIFY2(r.out.contains(QLatin1String(word)), word);
    }

    void exportCsvToFileAndStdout()
    {
        const QString out = m_dir.filePath(QStringLiteral("h1.csv"));
        auto r = TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), m_db, QStringLiteral("--kind"),
                                         QStringLiteral("candles"), QStringLiteral("--timeframe"), QStringLiteral("1h"), QStringLiteral("--from"),
                                         QStringLiteral("2026-01-02T00:00:00Z"), QStringLiteral("--to"), QStringLiteral("2026-01-03"),
                                         QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 25);
        QVERIFY(lines[1].startsWith("1767312000000,"));

        r = TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), m_db, QStringLiteral("--kind"),
                                    QStringLiteral("funding"), QStringLiteral("--instrument"), QStringLiteral("BTCUSDT"), QStringLiteral("--out"),
                                    QStringLiteral("-")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed().split(QLatin1Char('\n')).size(), 1 + 9); // 3 days x 3 settlements

        // The predicted heatmap, hourly over a day, with the high-leverage preset.
        r = TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), m_db, QStringLiteral("--kind"),
                                    QStringLiteral("heatmap"), QStringLiteral("--timeframe"), QStringLiteral("1h"), QStringLiteral("--from"),
                                    QStringLiteral("2026-01-02"), QStringLiteral("--to"), QStringLiteral("2026-01-03"), QStringLiteral("--preset"),
                                    QStringLiteral("high_leverage"), QStringLiteral("--out"), QStringLiteral("-")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList heat = r.out.trimmed().split(QLatin1Char('\n'));
        QCOMPARE(heat[0], QStringLiteral("ts,price_low,price_high,long_usd,short_usd"));
        QVERIFY(heat.size() > 24);
        QSet<QString> hours;
        for (qsizetype i = 1; i < heat.size(); ++i)
            hours.insert(heat[i].section(QLatin1Char(','), 0, 0));
        QCOMPARE(hours.size(), 24);
        QVERIFY(hours.contains(QStringLiteral("1767312000000")));
    }

    void analyzeJsonAndText()
    {
        auto r = TestUtil::runPerpscope({QStringLiteral("analyze"), QStringLiteral("--db"), m_db, QStringLiteral("--from"),
                                         QStringLiteral("2026-01-02T03:00:00Z"), QStringLiteral("--to"), QStringLiteral("2026-01-03T01:30:00Z"),
                                         QStringLiteral("--json")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(j.value(QStringLiteral("from")).toString(), QStringLiteral("2026-01-02T03:00:00Z"));
        QVERIFY(j.value(QStringLiteral("price_open")).toDouble() > 0);
        QVERIFY(QStringList({QStringLiteral("flush"), QStringLiteral("partial_flush"), QStringLiteral("still_loaded"), QStringLiteral("spot_led"),
                             QStringLiteral("quiet")})
                    .contains(j.value(QStringLiteral("verdict")).toString()));
        QVERIFY(!j.value(QStringLiteral("reasons")).toArray().isEmpty());
        r = TestUtil::runPerpscope({QStringLiteral("analyze"), QStringLiteral("--db"), m_db, QStringLiteral("--from"), QStringLiteral("2026-01-02"),
                                    QStringLiteral("--to"), QStringLiteral("2026-01-03")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("verdict")));
        expectFailure({QStringLiteral("analyze"), QStringLiteral("--db"), m_db, QStringLiteral("--from"), QStringLiteral("2025-01-01"),
                       QStringLiteral("--to"), QStringLiteral("2025-01-02")},
                      1, QStringLiteral("no price data between 2025-01-01T00:00:00Z"));
        expectFailure({QStringLiteral("analyze"), QStringLiteral("--db"), m_db, QStringLiteral("--from"), QStringLiteral("2026-01-02")}, 2,
                      QStringLiteral("--from and --to are required"));
    }

    void badArgumentsGetOneClearLine_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("needle");
        const QString db = QStringLiteral("%DB%");
        QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << 2 << QStringLiteral("unknown command 'frobnicate'");
        QTest::newRow("unknown option") << QStringList{QStringLiteral("backfill"), QStringLiteral("--colour")} << 2 << QStringLiteral("colour");
        QTest::newRow("missing db") << QStringList{QStringLiteral("backfill"), QStringLiteral("--source"), QStringLiteral("synthetic")} << 2
                                    << QStringLiteral("--db is required");
        QTest::newRow("negative days") << QStringList{QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--days"), QStringLiteral("-3")}
                                       << 2 << QStringLiteral("--days must be above 0");
        // 15.10: these overflowed the millisecond arithmetic (rc 0 having done nothing), or
        // were silently ignored, or became another instrument.
        for (const char *days : {"nan", "inf", "-inf", "1e300"})
            QTest::newRow(qPrintable(QStringLiteral("days %1").arg(QLatin1String(days))))
                << QStringList{QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("synthetic"),
                               QStringLiteral("--days"), QLatin1String(days)}
                << 2 << QStringLiteral("--days");
        QTest::newRow("end 0") << QStringList{QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("synthetic"),
                                              QStringLiteral("--end"), QStringLiteral("0")}
                               << 2 << QStringLiteral("--end: 1970-01-01T00:00:00Z is outside 2009 ... 2100");
        QTest::newRow("instrument A:B:C") << QStringList{QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--instrument"),
                                                         QStringLiteral("A:B:C")}
                                          << 2 << QStringLiteral("--instrument: 'A:B:C' is not an instrument");
        QTest::newRow("import instrument with a space") << QStringList{QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--instrument"),
                                                                       QStringLiteral("BTC USDT"), QStringLiteral("x.csv")}
                                                        << 2 << QStringLiteral("--instrument: 'BTC USDT' is not an instrument");
        QTest::newRow("unknown source") << QStringList{QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("ftx")}
                                        << 2 << QStringLiteral("unknown source 'ftx'");
        QTest::newRow("bad kind") << QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                                 QStringLiteral("trades"), QStringLiteral("--out"), QStringLiteral("-")}
                                  << 2 << QStringLiteral("unknown kind 'trades'");
        QTest::newRow("bad timeframe") << QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                                      QStringLiteral("candles"), QStringLiteral("--timeframe"), QStringLiteral("3m"), QStringLiteral("--out"), QStringLiteral("-")}
                                       << 2 << QStringLiteral("'3m' is not one of");
        QTest::newRow("bad time") << QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                                 QStringLiteral("oi"), QStringLiteral("--from"), QStringLiteral("yesterday"), QStringLiteral("--out"), QStringLiteral("-")}
                                  << 2 << QStringLiteral("'yesterday' is not a time");
        QTest::newRow("from after to") << QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                                      QStringLiteral("oi"), QStringLiteral("--from"), QStringLiteral("2026-01-03"), QStringLiteral("--to"),
                                                      QStringLiteral("2026-01-02"), QStringLiteral("--out"), QStringLiteral("-")}
                                       << 2 << QStringLiteral("must be before --to");
        QTest::newRow("unknown instrument") << QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                                           QStringLiteral("oi"), QStringLiteral("--instrument"), QStringLiteral("DOGEUSDT"), QStringLiteral("--out"),
                                                           QStringLiteral("-")}
                                            << 1 << QStringLiteral("DOGEUSDT: not in database");
        QTest::newRow("unknown heatmap preset") << QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db,
                                                               QStringLiteral("--kind"), QStringLiteral("heatmap"), QStringLiteral("--preset"),
                                                               QStringLiteral("degen"), QStringLiteral("--out"), QStringLiteral("-")}
                                                << 2 << QStringLiteral("unknown heatmap preset 'degen'");
        QTest::newRow("score bad parameters") << QStringList{QStringLiteral("heatmap-score"), QStringLiteral("--db"), db, QStringLiteral("--params"),
                                                             QStringLiteral("{\"holdSigmas\": -1}")}
                                              << 2 << QStringLiteral("holdSigmas must be in [0, 20] (0 = off), got -1");
        QTest::newRow("score unknown preset") << QStringList{QStringLiteral("heatmap-score"), QStringLiteral("--db"), db, QStringLiteral("--preset"),
                                                             QStringLiteral("degen")}
                                              << 2 << QStringLiteral("unknown heatmap preset 'degen'");
        QTest::newRow("missing db file") << QStringList{QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), QStringLiteral("/nonexistent/x.db"),
                                                        QStringLiteral("--kind"), QStringLiteral("oi"), QStringLiteral("--out"), QStringLiteral("-")}
                                         << 1 << QStringLiteral("/nonexistent/x.db: no such file");
    }

    void badArgumentsGetOneClearLine()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, needle);
        args.replaceInStrings(QStringLiteral("%DB%"), m_db);
        expectFailure(args, code, needle);
    }

    void heatmapScorePrintsModelBaselineAndRatio()
    {
        // Ground truth = the model's own map at every hour: the model must score perfectly.
        const QString path = m_dir.filePath(QStringLiteral("truth.db"));
        {
            SyntheticSource::Params sp;
            sp.startMs = 1'767'225'600'000;
            sp.minutes = 1440;
            SyntheticSource source(sp);
            MarketBatch batch = source.generate(sp.minutes);
            auto writer = MarketStore::open(path).writer();
            writer->commit(batch);
            QVector<HeatmapBar> bars;
            HeatmapFeed::join(batch.candles, batch.markCandles, batch.openInterest, batch.funding, batch.liquidations, true, 60'000, bars);
            HeatmapEngine e{HeatmapParams()};
            MarketBatch truth;
            truth.instrument = batch.instrument;
            for (const HeatmapBar &b : bars) {
                e.step(b);
                if (e.time() % 3'600'000 == 0)
                    for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short}) {
                        const auto [lo, hi] = e.book(side).binRange();
                        e.book(side).forEachBin(lo, hi, [&](int bin, double usd) { truth.groundTruth.push_back({e.time(), side, bin, usd}); });
                    }
            }
            writer->commit(truth);
        }
        auto r = TestUtil::runPerpscope({QStringLiteral("heatmap-score"), QStringLiteral("--db"), path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("24 ground-truth snapshots")));
        for (const char *label : {"Spearman rank correlation", "Earth mover's distance", "Hot-zone precision", "Hot-zone recall", "model/base"})
            QVERIFY2(r.out.contains(QLatin1String(label)), label);

        r = TestUtil::runPerpscope({QStringLiteral("heatmap-score"), QStringLiteral("--db"), path, QStringLiteral("--json"), QStringLiteral("--preset"),
                                    QStringLiteral("all_leverage")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value(QLatin1String("snapshots")).toInt(), 24);
        QCOMPARE(o.value(QLatin1String("preset")).toString(), QStringLiteral("all_leverage"));
        const QJsonObject model = o.value(QLatin1String("model")).toObject(), base = o.value(QLatin1String("baseline_scores")).toObject();
        QVERIFY(std::abs(model.value(QLatin1String("spearman")).toDouble() - 1) < 1e-9);
        QVERIFY(model.value(QLatin1String("emd_pct")).toDouble() < 1e-6);
        QVERIFY(base.value(QLatin1String("emd_pct")).toDouble() > 0.5);
        QVERIFY(o.value(QLatin1String("ratio")).toObject().contains(QLatin1String("hot_recall")));
    }

    void notADatabaseIsNamedAndUntouched()
    {
        const QString path = m_dir.filePath(QStringLiteral("readme.txt"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("hello\n");
        f.close();
        expectFailure({QStringLiteral("backfill"), QStringLiteral("--db"), path, QStringLiteral("--source"), QStringLiteral("synthetic"),
                       QStringLiteral("--days"), QStringLiteral("1")},
                      1, path + QStringLiteral(": not a Perpscope database"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("hello\n"));
    }

    // The desktop starts "perpscope FILE..." to open files: that is the GUI, not a command.
    void fileArgumentsOpenTheGui()
    {
        const QString file = m_dir.filePath(QStringLiteral("dropped.csv"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QCOMPARE(CommandLine::mode({QStringLiteral("perpscope"), file}), CommandLine::Mode::Gui);
        QCOMPARE(CommandLine::mode({QStringLiteral("perpscope"), QStringLiteral("--db"), m_db, file}), CommandLine::Mode::Gui);
        QCOMPARE(CommandLine::mode({QStringLiteral("perpscope"), QStringLiteral("frobnicate")}), CommandLine::Mode::Headless);
        // A command keeps its meaning even when a file of that name is in the working directory.
        const QString cwd = QDir::currentPath();
        QVERIFY(QDir::setCurrent(m_dir.path()));
        QFile named(QStringLiteral("backfill"));
        QVERIFY(named.open(QIODevice::WriteOnly));
        named.close();
        const auto mode = CommandLine::mode({QStringLiteral("perpscope"), QStringLiteral("backfill"), QStringLiteral("--db"), m_db});
        QVERIFY(QDir::setCurrent(cwd));
        QCOMPARE(mode, CommandLine::Mode::Headless);
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
