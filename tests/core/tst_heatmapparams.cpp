#include "analysis/heatmapparams.h"

#include <QtTest>

class TestHeatmapParams : public QObject
{
    Q_OBJECT

private slots:
    void presets()
    {
        QCOMPARE(HeatmapParams::presetNames(), (QStringList{QStringLiteral("all_leverage"), QStringLiteral("high_leverage")}));
        const auto all = HeatmapParams::preset(QStringLiteral("all_leverage"));
        QVERIFY(all);
        QCOMPARE(*all, HeatmapParams());
        QCOMPARE(all->tiers.size(), 7); // models.md §1.6's reference mix, widened (heatmapparams.h)
        QCOMPARE(all->tiers[3].leverage, 10.0);
        QCOMPARE(all->tiers[3].weight, 0.20);
        QCOMPARE(all->binStep, 0.001);

        const auto high = HeatmapParams::preset(QStringLiteral("high_leverage"));
        QVERIFY(high);
        QCOMPARE(high->name, QStringLiteral("high_leverage"));
        QCOMPARE(high->tiers.size(), 3);
        double total = 0;
        for (const auto &t : high->tiers) {
            QVERIFY(t.leverage >= 20);
            total += t.weight;
        }
        QVERIFY(qFuzzyCompare(total, 1.0));
        QVERIFY(qFuzzyCompare(high->tiers[0].weight, 0.15 / 0.45)); // renormalised, ratios kept
        QVERIFY(qFuzzyCompare(high->tiers[2].weight, 0.15 / 0.45));
        QVERIFY(high->validate().isEmpty());
        QVERIFY(!HeatmapParams::preset(QStringLiteral("degen")));
    }

    void jsonRoundTrips()
    {
        for (const QString &name : HeatmapParams::presetNames()) {
            const HeatmapParams p = *HeatmapParams::preset(name);
            QCOMPARE(*HeatmapParams::fromJson(p.toJson()), p);
        }
        HeatmapParams custom;
        custom.name = QStringLiteral("my \"weekend\" map");
        custom.tiers = {{3, 1}, {20, 2.5}, {125, 0.5}};
        custom.sizes = {{5'000, 0.7}, {500'000, 0.25}, {5'000'000, 0.05}};
        custom.binStep = 0.0025;
        custom.subEntries = 3;
        custom.feeBuffer = 0.001;
        custom.fundingErosion = false;
        custom.decayHalfLifeHours = 72;
        custom.lookbackHours = 24 * 30;
        custom.maxDistance = 0.3;
        custom.levelResolution = 0;
        custom.consumeOnMark = false;
        custom.passiveShare = 0.2;
        custom.passiveLeverage = 2;
        custom.liquidationAdjust = HeatmapParams::LiquidationAdjust::Model;
        custom.initialPrior = HeatmapParams::InitialPrior::FirstBar;
        custom.priorDailyVolatility = 0.05;
        QVERIFY(custom.validate().isEmpty());
        const QByteArray json = custom.toJson();
        QVERIFY(!json.contains('\n')); // one line: fits a QSettings value
        QCOMPARE(*HeatmapParams::fromJson(json), custom);
    }

    void missingKeysTakeDefaults()
    {
        const auto p = HeatmapParams::fromJson(R"({"name":"wide","binStep":0.005})");
        QVERIFY(p);
        HeatmapParams expected;
        expected.name = QStringLiteral("wide");
        expected.binStep = 0.005;
        QCOMPARE(*p, expected);
    }

    void presetsSavedBeforeThePriorStillLoad()
    {
        // Older user presets carry only "seedInitialOpenInterest".
        QCOMPARE(HeatmapParams::fromJson(R"({"seedInitialOpenInterest":false})")->initialPrior, HeatmapParams::InitialPrior::None);
        QCOMPARE(HeatmapParams::fromJson(R"({"seedInitialOpenInterest":true})")->initialPrior, HeatmapParams::InitialPrior::VolumeProfile);
        QCOMPARE(HeatmapParams::fromJson(R"({"initialPrior":"first_bar"})")->initialPrior, HeatmapParams::InitialPrior::FirstBar);
    }

    void badJsonIsExplained_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("needle");
        QTest::newRow("not json") << QByteArray("{tiers: [") << QStringLiteral("not JSON");
        QTest::newRow("array") << QByteArray("[1,2]") << QStringLiteral("expected a JSON object");
        QTest::newRow("other model") << QByteArray(R"({"model":"CG-3"})") << QStringLiteral("unknown model 'CG-3'");
        QTest::newRow("wrong type") << QByteArray(R"({"binStep":"0.1%"})") << QStringLiteral("\"binStep\" must be a number");
        QTest::newRow("bool") << QByteArray(R"({"fundingErosion":1})") << QStringLiteral("\"fundingErosion\" must be true or false");
        QTest::newRow("fraction") << QByteArray(R"({"subEntries":2.5})") << QStringLiteral("\"subEntries\" must be a whole number");
        QTest::newRow("tier shape") << QByteArray(R"({"tiers":[{"leverage":10}]})") << QStringLiteral("tiers[0] must be an object");
        QTest::newRow("negative weight") << QByteArray(R"({"tiers":[{"leverage":10,"weight":-1}]})") << QStringLiteral("tiers[0].weight must be >= 0");
        QTest::newRow("leverage 1") << QByteArray(R"({"tiers":[{"leverage":1,"weight":1}]})") << QStringLiteral("tiers[0].leverage must be in (1, 1000]");
        QTest::newRow("no tiers") << QByteArray(R"({"tiers":[]})") << QStringLiteral("at least one leverage tier");
        QTest::newRow("zero weights") << QByteArray(R"({"tiers":[{"leverage":10,"weight":0}]})") << QStringLiteral("must not all be zero");
        QTest::newRow("consume on") << QByteArray(R"({"consumeOn":"index"})") << QStringLiteral("\"consumeOn\" must be \"mark\" or \"last\"");
        QTest::newRow("adjust") << QByteArray(R"({"liquidationAdjust":"feed"})") << QStringLiteral("\"liquidationAdjust\" must be");
        QTest::newRow("bin step") << QByteArray(R"({"binStep":0.5})") << QStringLiteral("binStep must be in [0.0001, 0.05]");
        QTest::newRow("look-back") << QByteArray(R"({"lookbackHours":0})") << QStringLiteral("lookbackHours must be in [1, 43920]");
        QTest::newRow("resolution") << QByteArray(R"({"levelResolution":0.01})") << QStringLiteral("levelResolution must be in [0, binStep]");
        QTest::newRow("prior") << QByteArray(R"({"initialPrior":"flat"})") << QStringLiteral("\"initialPrior\" must be \"volume_profile\"");
        QTest::newRow("prior volatility") << QByteArray(R"({"priorDailyVolatility":0})") << QStringLiteral("priorDailyVolatility must be in (0, 0.5]");
        QTest::newRow("empty name") << QByteArray(R"({"name":" "})") << QStringLiteral("name must not be empty");
    }

    void badJsonIsExplained()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, needle);
        QString error;
        QVERIFY(!HeatmapParams::fromJson(json, &error));
        QVERIFY2(error.startsWith(QLatin1String("heatmap parameters: ")), qPrintable(error));
        QVERIFY2(error.contains(needle), qPrintable(error));
    }

    void aboutTextSaysWhatTheModelAssumes()
    {
        const QString all = HeatmapParams().aboutText();
        for (const char *phrase : {"RLH-1", "all_leverage", "model estimate", "3x 10%", "5x 15%", "10x 20%", "100x 15%", "0.1%", "taker", "mark",
                                   "relative", "leverage mix is assumed", "net number", "Stop-losses", "No feedback", "168 hours",
                                   "volume traded at each price", "random-walk prior", "warming up", "drawn faded"})
            QVERIFY2(all.contains(QLatin1String(phrase)), phrase);
        QVERIFY(!all.contains(QLatin1String("half-life")));
        HeatmapParams p = *HeatmapParams::preset(QStringLiteral("high_leverage"));
        p.decayHalfLifeHours = 48;
        p.fundingErosion = false;
        const QString high = p.aboutText();
        QVERIFY(high.contains(QLatin1String("high_leverage")));
        QVERIFY(high.contains(QLatin1String("20x 33.33%")));
        QVERIFY(!high.contains(QLatin1String("5x 15%")));
        QVERIFY(high.contains(QLatin1String("half-life of 48 hours")));
        QVERIFY(!high.contains(QLatin1String("Funding payments")));
    }
};

QTEST_GUILESS_MAIN(TestHeatmapParams)
#include "tst_heatmapparams.moc"
