#include "valueaxisticker.h"

#include <QtTest>

// Value-axis labels: thousands separators, one number of decimals per axis from the tick
// step, money in one unit per axis, funding in percent, and a band kept clear for a tag.
class TestValueAxisTicker : public QObject
{
    Q_OBJECT

private:
    static QStringList labels(ValueAxisTicker::Kind kind, double lo, double hi, int count = 5)
    {
        QCustomPlot plot;
        auto ticker = QSharedPointer<ValueAxisTicker>::create(kind);
        ticker->setTickCount(count);
        plot.yAxis->setTicker(ticker);
        plot.yAxis->setRange(lo, hi);
        plot.resize(400, 400);
        plot.replot();
        return QStringList(plot.yAxis->tickVectorLabels().cbegin(), plot.yAxis->tickVectorLabels().cend());
    }

private slots:
    void pricesHaveSeparatorsAndOneDecimalCount()
    {
        const QStringList btc = labels(ValueAxisTicker::Kind::Price, 97'000, 121'000);
        QVERIFY(btc.contains(QStringLiteral("100,000")));
        for (const QString &l : btc)
            QVERIFY2(!l.contains(QLatin1Char('.')), qPrintable(l));
        // LINK around 8 with half-dollar steps: 7.5, 8.0, 8.5 — never "8" beside "7.5".
        const QStringList link = labels(ValueAxisTicker::Kind::Price, 6.9, 9.1);
        QVERIFY2(link.contains(QStringLiteral("8.0")) && link.contains(QStringLiteral("7.5")), qPrintable(link.join(' ')));
        for (const QString &l : link)
            QCOMPARE(l.section(QLatin1Char('.'), 1).size(), 1);
        QCOMPARE(ValueAxisTicker::label(ValueAxisTicker::Kind::Price, 0.1225, 0.0025, 0.2), QStringLiteral("0.1225"));
    }

    void moneyInOneCompactUnit()
    {
        const QStringList oi = labels(ValueAxisTicker::Kind::Usd, 79e6, 101e6);
        QVERIFY2(oi.contains(QStringLiteral("$90M")), qPrintable(oi.join(' ')));
        // Half-steps: every label with the decimal ($87.5M beside $90.0M).
        const QStringList fine = labels(ValueAxisTicker::Kind::Usd, 84e6, 96e6);
        QVERIFY2(fine.contains(QStringLiteral("$90.0M")) && fine.contains(QStringLiteral("$87.5M")), qPrintable(fine.join(' ')));
        for (const QString &l : oi)
            QVERIFY2(l.startsWith(QLatin1Char('$')) && l.endsWith(QLatin1Char('M')) && !l.contains(QChar(0xb7)), qPrintable(l));
        QCOMPARE(ValueAxisTicker::label(ValueAxisTicker::Kind::Usd, 92.5e6, 2.5e6, 96e6), QStringLiteral("$92.5M"));
        QCOMPARE(ValueAxisTicker::label(ValueAxisTicker::Kind::Usd, 6.25e9, 0.25e9, 7e9), QStringLiteral("$6.25B"));
        QCOMPARE(ValueAxisTicker::label(ValueAxisTicker::Kind::Usd, -2e6, 1e6, 5e6), QStringLiteral("-$2M"));
    }

    void fundingInPercent()
    {
        const QStringList f = labels(ValueAxisTicker::Kind::Percent, -0.0006, 0.0011);
        QVERIFY2(f.contains(QStringLiteral("0.050%")) && f.contains(QStringLiteral("0.025%")) && f.contains(QStringLiteral("0.000%")),
                 qPrintable(f.join(' ')));
        for (const QString &l : f)
            QVERIFY2(l.endsWith(QLatin1Char('%')) && l != QStringLiteral("-0.00%"), qPrintable(l));
        QCOMPARE(ValueAxisTicker::label(ValueAxisTicker::Kind::Percent, 0.0001, 0.000025, 0.001), QStringLiteral("0.0100%"));
    }

    void quantities()
    {
        QCOMPARE(ValueAxisTicker::label(ValueAxisTicker::Kind::Quantity, 81250, 250, 90000), QStringLiteral("81,250"));
        QCOMPARE(ValueAxisTicker::label(ValueAxisTicker::Kind::Quantity, 0.5, 0.25, 1), QStringLiteral("0.50"));
    }

    void bandKeptClear()
    {
        QCustomPlot plot;
        auto ticker = QSharedPointer<ValueAxisTicker>::create(ValueAxisTicker::Kind::Price);
        plot.yAxis->setTicker(ticker);
        plot.resize(400, 400);
        plot.yAxis->setRange(97'000, 121'000);
        plot.replot(); // the layout that pixels refer to
        ticker->setKeepClear(100'000.0, 10, plot.yAxis);
        plot.replot();
        const double perPixel = plot.yAxis->range().size() / plot.yAxis->axisRect()->height();
        const auto ticks = plot.yAxis->tickVector();
        const auto texts = plot.yAxis->tickVectorLabels();
        bool sawClear = false;
        for (int i = 0; i < ticks.size(); ++i) {
            const bool inBand = std::abs(ticks[i] - 100'000) <= 10 * perPixel;
            QCOMPARE(texts[i].isEmpty(), inBand);
            sawClear |= inBand;
        }
        QVERIFY(sawClear);
    }
};

QTEST_MAIN(TestValueAxisTicker)
#include "tst_valueaxisticker.moc"
