#include "sources/sim/simscenario.h"

#include <QtTest>

// Presets and parameter validation of the simulator's scenario.
class TestSimScenario : public QObject
{
    Q_OBJECT

private slots:
    void presetsDifferWhereTheyShould()
    {
        QString error;
        const auto calm = SimScenario::build(QStringLiteral("calm"), {}, &error);
        const auto treadmill = SimScenario::build(QString(), {}, &error);
        const auto crash = SimScenario::build(QStringLiteral("crash"), {}, &error);
        QVERIFY(calm && treadmill && crash);
        QCOMPARE(treadmill->preset(), QStringLiteral("treadmill"));
        QVERIFY(calm->params().leverage < treadmill->params().leverage);
        QVERIFY(crash->params().leverage > treadmill->params().leverage);
        QVERIFY(calm->params().depth > treadmill->params().depth && treadmill->params().depth > crash->params().depth);
        QVERIFY(crash->params().drift < treadmill->params().drift);
    }

    void overridesApplyAndAreRecorded()
    {
        QString error;
        const auto s = SimScenario::build(QStringLiteral("calm"), {{QStringLiteral("depth"), QStringLiteral("2.5e6")}, {QStringLiteral("agents"), QStringLiteral("500")}}, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->params().depth, 2.5e6);
        QCOMPARE(s->params().agents, 500.0);
        const auto meta = s->metadata();
        QCOMPARE(meta.value(QStringLiteral("sim.param.depth")), QStringLiteral("2500000"));
        QCOMPARE(meta.value(QStringLiteral("sim.param.agents")), QStringLiteral("500"));
        QCOMPARE(meta.size(), SimScenario::parameterNames().size());
        for (const QString &name : SimScenario::parameterNames())
            QVERIFY(!SimScenario::describe(name).isEmpty());
    }

    void badInputNamesTheParameter_data()
    {
        QTest::addColumn<QString>("preset");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("negative agents") << QString() << "agents" << "-1" << "parameter 'agents' must be an integer between 1 and 1000000 (got -1)";
        QTest::newRow("fractional agents") << QString() << "agents" << "2.5" << "parameter 'agents' must be an integer";
        QTest::newRow("zero depth") << QString() << "depth" << "0" << "parameter 'depth' must be a number > 0";
        QTest::newRow("nan") << QString() << "volatility" << "nan" << "parameter 'volatility': 'nan' is not a number";
        QTest::newRow("share above 1") << QString() << "round_entries" << "1.5" << "parameter 'round_entries' must be a number between 0 and 1";
        QTest::newRow("truth minutes") << QString() << "truth_minutes" << "7" << "parameter 'truth_minutes' must be a whole divisor of 60";
        QTest::newRow("unknown") << QString() << "depht" << "1" << "unknown parameter 'depht' (expected one of: agents, depth,";
        QTest::newRow("preset") << "boom" << QString() << QString() << "unknown preset 'boom' (expected one of: calm, treadmill, crash)";
    }

    void badInputNamesTheParameter()
    {
        QFETCH(QString, preset);
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, message);
        QMap<QString, QString> overrides;
        if (!key.isEmpty())
            overrides.insert(key, value);
        QString error;
        QVERIFY(!SimScenario::build(preset, overrides, &error));
        QVERIFY2(error.startsWith(message), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSimScenario)
#include "tst_simscenario.moc"
