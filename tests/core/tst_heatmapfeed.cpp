#include "analysis/heatmapfeed.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QTemporaryDir>

// What the heatmap model reads per bar. Bybit and OKX klines carry no taker-buy volume and
// store 0: the model must not read that as every taker selling (it would open only shorts).
class TestHeatmapFeed : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    int m_count = 0;
    const Instrument m_i{QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    static constexpr qint64 minute = 60'000;

    // 30 1m bars with 0 stored as taker buys (3 coins, where `takerBuys`), and the coverage
    // a source would record with them.
    QVector<HeatmapBar> read(bool candlesCovered, bool takerBuyCovered, double takerBuys)
    {
        const QString path = m_dir.filePath(QStringLiteral("f%1.db").arg(++m_count));
        MarketBatch b;
        b.instrument = m_i;
        for (int k = 0; k < 30; ++k)
            b.candles.push_back({t0 + k * minute, 100, 101, 99, 100.5, 10, 1002.5, takerBuys});
        const TimeRange all{t0, t0 + 30 * minute};
        if (candlesCovered)
            b.cover(DataKind::Candles, all, CoverageQuality::Complete, minute, QStringLiteral("test"));
        if (takerBuyCovered)
            b.cover(DataKind::TakerBuy, all, CoverageQuality::Complete, minute, QStringLiteral("test"));
        MarketStore::open(path).writer()->commit(b);
        auto reader = MarketStore::openExisting(path).reader();
        return HeatmapFeed(*reader, m_i).bars(all);
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Regression: the feed passed the stored 0 on as a known taker-buy volume.
    void takerBuysAreUnknownWhereTheSourceHadNone()
    {
        const auto unknown = read(true, false, 0);
        QCOMPARE(unknown.size(), 30);
        for (const HeatmapBar &bar : unknown)
            QVERIFY(bar.takerBuyVolume < 0); // unknown: the engine splits by the candle colour
        for (const HeatmapBar &bar : read(true, true, 3))
            QCOMPARE(bar.takerBuyVolume, 3.0);
        // Stored before coverage existed (only sources with taker buys wrote then): as stored.
        for (const HeatmapBar &bar : read(false, false, 3))
            QCOMPARE(bar.takerBuyVolume, 3.0);
    }
};

QTEST_GUILESS_MAIN(TestHeatmapFeed)
#include "tst_heatmapfeed.moc"
