#include "analysis/heatmapengine.h"
#include "analysis/heatmapfeed.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

// The heatmap on imported real-format Binance dumps (the crafted fixtures in the exact dump
// layouts, tests/data/binance/crafted): the open interest that exists at the first sample
// ($9.5 B here) is spread by the warm-up prior, so no 0.1 % bin of the first day's map holds
// more than 3 % of it and no 1 % band more than 15 % (the shares About this model documents),
// and the whole first day is marked as warming up.
class TestHeatmapRealData : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_btc{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("binance.db"));
        const auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), m_db,
                                               TestUtil::dataFile(QStringLiteral("binance/crafted/futures"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void theFirstDayHoldsNoArtificialBand()
    {
        const auto readerOwner = MarketStore::attach(m_db).reader();
        StoreReader &reader = *readerOwner;
        HeatmapFeed feed(reader, m_btc);
        QVERIFY(feed.extent().isValid() && feed.hasOpenInterest());
        const auto bars = feed.bars(feed.extent());
        HeatmapEngine engine{HeatmapParams()};
        double oiUsd = 0, worstBin = 0, worstBand = 0;
        qint64 firstOi = 0;
        int hours = 0;
        for (const HeatmapBar &bar : bars) {
            engine.step(bar);
            if (bar.hasOpenInterest && !oiUsd) {
                oiUsd = bar.openInterest * bar.close;
                firstOi = engine.firstOpenInterestTime();
            }
            if (!firstOi || engine.time() % 3'600'000 != 0)
                continue;
            if (engine.time() > firstOi + 24 * 3'600'000LL)
                break;
            QVERIFY2(engine.isWarmingUp(engine.time()), "the first day is inside the warm-up");
            ++hours;
            for (auto side : {Liquidation::Side::Long, Liquidation::Side::Short}) {
                QMap<int, double> bins;
                const auto [lo, hi] = engine.book(side).binRange();
                engine.book(side).forEachBin(lo, hi, [&bins](int bin, double usd) { bins[bin] = usd; });
                for (auto it = bins.begin(); it != bins.end(); ++it) {
                    worstBin = std::max(worstBin, it.value() / oiUsd);
                    double band = 0; // ten bins, about 1 % of price, starting here
                    for (auto jt = it; jt != bins.end() && jt.key() < it.key() + 10; ++jt)
                        band += jt.value();
                    worstBand = std::max(worstBand, band / oiUsd);
                }
            }
        }
        qInfo("first day (%d hours) on $%.2f B of open interest: largest 0.1 %% bin %.2f %% of OI, largest 1 %% band %.2f %%", hours, oiUsd / 1e9,
              worstBin * 100, worstBand * 100);
        QVERIFY(hours >= 23);
        QVERIFY2(worstBin <= 0.03, qPrintable(QString::number(worstBin)));
        QVERIFY2(worstBand <= 0.15, qPrintable(QString::number(worstBand)));
        QCOMPARE(engine.warmUntil(), firstOi + qint64(HeatmapParams().lookbackHours * 3'600'000));
    }
};

QTEST_GUILESS_MAIN(TestHeatmapRealData)
#include "tst_heatmaprealdata.moc"
