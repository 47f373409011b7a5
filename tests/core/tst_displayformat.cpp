#include "domain/displayformat.h"

#include <QLocale>
#include <QTest>

// DisplayFormat, the one number formatter (panes' tags and readouts, range analysis and its
// reasons, Compare, the CLI): what a trader reads must not depend on the system locale, keep
// the decimals a price of that size needs, say money compactly in the unit it rounds to
// ($1.00M, never $1,000.0K), and never show a sign on a number that reads as zero.
class TestDisplayFormat : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        // A locale with ',' as decimal point and '.' for thousands: none of it may leak in.
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    }

    void prices_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("btc") << 101234.46 << QStringLiteral("101,234.5");
        QTest::newRow("eth") << 3456.789 << QStringLiteral("3,456.8");
        QTest::newRow("sol") << 61.234 << QStringLiteral("61.23");
        QTest::newRow("link") << 7.5 << QStringLiteral("7.500");
        QTest::newRow("doge") << 0.054321 << QStringLiteral("0.05432");
        QTest::newRow("negative") << -1234.56 << QStringLiteral("-1,234.6");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0.00000");
    }

    void prices()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(DisplayFormat::price(value), text);
    }

    void quantities()
    {
        QCOMPARE(DisplayFormat::quantity(81234.46), QStringLiteral("81,234"));
        QCOMPARE(DisplayFormat::quantity(123.45), QStringLiteral("123.5"));
        QCOMPARE(DisplayFormat::quantity(2.346), QStringLiteral("2.35"));
        QCOMPARE(DisplayFormat::quantity(0.03214), QStringLiteral("0.0321"));
        QCOMPARE(DisplayFormat::signedQuantity(1234.0), QStringLiteral("+1,234"));
        QCOMPARE(DisplayFormat::signedQuantity(-0.52), QStringLiteral("-0.5200"));
        QCOMPARE(DisplayFormat::signedQuantity(0.0), QStringLiteral("0.0000"));
    }

    void money_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("dollars") << 812.4 << QStringLiteral("$812");
        QTest::newRow("thousands below 10K") << 9876.0 << QStringLiteral("$9,876");
        QTest::newRow("tens of thousands") << 12'400.0 << QStringLiteral("$12.4K");
        QTest::newRow("millions") << 1'240'000.0 << QStringLiteral("$1.24M");
        QTest::newRow("oi") << 90'000'000.0 << QStringLiteral("$90.00M");
        QTest::newRow("billions") << 3'100'000'000.0 << QStringLiteral("$3.10B");
        QTest::newRow("negative") << -612'000.0 << QStringLiteral("-$612.0K");
        // Rounding decides the unit: a value just below a unit reads in the next one.
        QTest::newRow("just below 1M") << 999'999.0 << QStringLiteral("$1.00M");
        QTest::newRow("just below 1B") << 999'996'000.0 << QStringLiteral("$1.00B");
        QTest::newRow("just below 10K") << 9'999.6 << QStringLiteral("$10.0K");
        QTest::newRow("negative just below 1M") << -999'960.0 << QStringLiteral("-$1.00M");
        // Nothing that reads as $0 carries a sign.
        QTest::newRow("tiny negative") << -0.4 << QStringLiteral("$0");
        QTest::newRow("zero") << 0.0 << QStringLiteral("$0");
    }

    void money()
    {
        QFETCH(double, value);
        QFETCH(QString, text);
        QCOMPARE(DisplayFormat::usd(value), text);
    }

    void signedMoney()
    {
        QCOMPARE(DisplayFormat::signedUsd(1'240'000.0), QStringLiteral("+$1.24M"));
        QCOMPARE(DisplayFormat::signedUsd(-612'000.0), QStringLiteral("-$612.0K"));
        QCOMPARE(DisplayFormat::signedUsd(0.2), QStringLiteral("$0"));
        QCOMPARE(DisplayFormat::signedUsd(-0.2), QStringLiteral("$0"));
    }

    void percents()
    {
        QCOMPARE(DisplayFormat::percent(0.0123), QStringLiteral("1.23%"));
        QCOMPARE(DisplayFormat::percent(0.0123, 1, true), QStringLiteral("+1.2%"));
        QCOMPARE(DisplayFormat::percent(-0.25, 0), QStringLiteral("-25%"));
        QCOMPARE(DisplayFormat::percent(12.5, 0), QStringLiteral("1,250%"));
        // A change too small to show is no change, not "-0.00%" or "+0.00%".
        QCOMPARE(DisplayFormat::percent(-0.00001, 2, true), QStringLiteral("0.00%"));
        QCOMPARE(DisplayFormat::percent(0.00001, 2, true), QStringLiteral("0.00%"));
        QCOMPARE(DisplayFormat::percentShort(0.15), QStringLiteral("15%"));
        QCOMPARE(DisplayFormat::percentShort(0.4545), QStringLiteral("45.45%"));
        QCOMPARE(DisplayFormat::percentShort(0.001), QStringLiteral("0.1%"));
        QCOMPARE(DisplayFormat::percentShort(0.0000001), QStringLiteral("0.00001%"));
    }

    void fundingRates()
    {
        QCOMPARE(DisplayFormat::rate(0.0001), QStringLiteral("0.0100%"));
        QCOMPARE(DisplayFormat::rate(-0.000035), QStringLiteral("-0.0035%"));
        QCOMPARE(DisplayFormat::rate(0.0075), QStringLiteral("0.7500%"));
        QCOMPARE(DisplayFormat::rate(-0.0000001), QStringLiteral("0.0000%"));
    }

    void signedNumbers()
    {
        QCOMPARE(DisplayFormat::signedNumber(1234.567, 1), QStringLiteral("+1,234.6"));
        QCOMPARE(DisplayFormat::signedNumber(-2.5, 2), QStringLiteral("-2.50"));
        QCOMPARE(DisplayFormat::signedNumber(0.0, 2), QStringLiteral("0.00"));
        QCOMPARE(DisplayFormat::signedNumber(-0.001, 2), QStringLiteral("0.00"));
        QCOMPARE(DisplayFormat::signedNumber(0.004, 2), QStringLiteral("0.00"));
    }

    void durations()
    {
        QCOMPARE(DisplayFormat::duration(45 * 60'000), QStringLiteral("45 min"));
        QCOMPARE(DisplayFormat::duration(90'000), QStringLiteral("1.5 min"));
        QCOMPARE(DisplayFormat::duration(330 * 60'000), QStringLiteral("5.5 h"));
        QCOMPARE(DisplayFormat::duration(3 * 86'400'000LL), QStringLiteral("3.0 days"));
        // Rounding decides the unit here too: 119.6 min is "2.0 h", not "120 min".
        QCOMPARE(DisplayFormat::duration(qint64(119.6 * 60'000)), QStringLiteral("2.0 h"));
        QCOMPARE(DisplayFormat::duration(qint64(47.97 * 3'600'000)), QStringLiteral("2.0 days"));
    }
};

QTEST_GUILESS_MAIN(TestDisplayFormat)
#include "tst_displayformat.moc"
