#include "sources/exchange/instrumentfeed.h"
#include "testutil.h"

// The finality and gap rules of the live state, message by message.
class TestInstrumentFeed : public QObject
{
    Q_OBJECT

private:
    const Instrument m_i{QStringLiteral("BINANCE"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'700'000'040'000 - 1'700'000'040'000 % 60'000;
    static constexpr qint64 minute = 60'000;

    StreamUpdate kline(qint64 ts, double close, bool closed, qint64 event) const
    {
        StreamUpdate u;
        u.type = StreamUpdate::Type::Candle;
        u.instrument = m_i;
        u.eventTime = event;
        u.candle = {ts, 100, std::max(100.0, close), std::min(100.0, close), close, 1, close, 0.5};
        u.closed = closed;
        return u;
    }
    StreamUpdate mark(qint64 event, double price, qint64 next = 0, double rate = 0.0001) const
    {
        StreamUpdate u;
        u.type = StreamUpdate::Type::MarkPrice;
        u.instrument = m_i;
        u.eventTime = event;
        u.markPrice = price;
        u.fundingRate = rate;
        u.nextFundingTime = next;
        return u;
    }

private slots:
    void staleAndDuplicateMessagesNeverUndoFinalBars()
    {
        InstrumentFeed f(m_i);
        f.addCandles({{t0, 100, 101, 99, 100.5, 10, 1005, 5}}, false); // final from REST
        QVERIFY(f.apply(kline(t0, 90, false, t0 + 5000)).isEmpty());  // an old snapshot
        QCOMPARE(f.take().candles.size(), 1);                          // only the REST bar
        QVERIFY(f.apply(kline(t0 + minute, 101, false, t0 + minute + 9000)).isEmpty());
        QVERIFY(f.apply(kline(t0 + minute, 99, false, t0 + minute + 8000)).isEmpty()); // older event: ignored
        QCOMPARE(f.take().candles.back().close, 101.0);
        QVERIFY(f.apply(kline(t0 + minute, 102, true, t0 + 2 * minute + 200)).isEmpty());
        QVERIFY(f.apply(kline(t0 + minute, 50, false, t0 + minute + 9999)).isEmpty()); // after its close
        const auto b = f.take();
        QCOMPARE(b.candles.size(), 1);
        QCOMPARE(b.candles.back().close, 102.0);
        QCOMPARE(f.lastClosedCandle(), t0 + minute);
    }

    void aMinuteThatNeverClosedIsFetched()
    {
        InstrumentFeed f(m_i);
        f.addCandles({{t0, 100, 101, 99, 100.5, 10, 1005, 5}}, false);
        f.apply(kline(t0 + minute, 101, false, t0 + minute + 1000)); // opens, never closes
        const auto fetches = f.apply(kline(t0 + 3 * minute, 103, false, t0 + 3 * minute + 1000));
        QCOMPARE(fetches.size(), 1);
        QCOMPARE(fetches[0].series, RestSeries::Candles);
        QCOMPARE(fetches[0].from, t0 + minute);
        QCOMPARE(fetches[0].to, t0 + 3 * minute);
        QVERIFY(f.apply(kline(t0 + 3 * minute, 104, false, t0 + 3 * minute + 2000)).isEmpty()); // asked once
        // After a reconnect, everything since the last final bar up to now.
        f.addCandles({{t0 + minute, 1, 1, 1, 1, 0, 0, 0}, {t0 + 2 * minute, 1, 1, 1, 1, 0, 0, 0}}, false);
        const auto resumed = f.resume(t0 + 6 * minute + 5000);
        QCOMPARE(resumed.size(), 1);
        QCOMPARE(resumed[0].from, t0 + 3 * minute);
        QCOMPARE(resumed[0].to, t0 + 6 * minute);
    }

    void markBarsAreReplacedByTheExchangesOwnWhenTheyClose()
    {
        InstrumentFeed f(m_i);
        f.addCandles({{t0, 5, 5, 5, 5, 0, 0, 0}}, true);
        QVERIFY(f.apply(mark(t0 + minute + 1000, 10, t0 + 8 * 3'600'000)).isEmpty());
        QVERIFY(f.apply(mark(t0 + minute + 2000, 12, t0 + 8 * 3'600'000)).isEmpty());
        MarketBatch b = f.take();
        QCOMPARE(b.markCandles.back(), (Candle{t0 + minute, 10, 12, 10, 12, 0, 0, 0})); // provisional
        QCOMPARE(b.predictedFunding.back().ts, t0 + minute);
        const auto fetches = f.apply(mark(t0 + 3 * minute + 1000, 11, t0 + 8 * 3'600'000));
        QCOMPARE(fetches.size(), 1);
        QCOMPARE(fetches[0].series, RestSeries::MarkCandles);
        QCOMPARE(fetches[0].from, t0 + minute);
        QCOMPARE(fetches[0].to, t0 + 3 * minute);
        QVERIFY(f.apply(mark(t0 + 2 * minute + 59'000, 99)).isEmpty()); // late: ignored
    }

    void aSettlementFetchesTheSettledRate()
    {
        InstrumentFeed f(m_i);
        const qint64 next = t0 + 3 * minute;
        f.addFunding({{t0 - 8 * 3'600'000, 0.0001, 8}});
        QVERIFY(f.apply(mark(t0 + 1000, 10, next)).isEmpty());
        const auto fetches = f.apply(mark(next + 1000, 10, next + 8 * 3'600'000));
        bool funding = false;
        for (const auto &x : fetches)
            funding |= x.series == RestSeries::Funding && x.to > next;
        QVERIFY(funding);
        QCOMPARE(f.pendingSettlement(next + 5000).size(), 1); // until REST delivers it
        f.addFunding({{next, 0.0002, 8}});
        QVERIFY(f.pendingSettlement(next + 5000).isEmpty());
    }

    void openInterestIsValuedAtTheMark()
    {
        InstrumentFeed f(m_i);
        f.apply(mark(t0 + 1000, 2.5));
        f.addOpenInterestNow({t0 + 1500, 1000, 0});
        QCOMPARE(f.take().openInterest.back().openInterestUsd, 2500.0);
    }
    // Regression: a backfill walks funding newest first, so by the time the oldest row came
    // (no settlement before it in its answer: interval 0) the feed had taken the newest
    // interval (1 h) as the current one and gave it to that row; it closed an 8 h interval,
    // as the instrument list says.
    void aLoneFundingRowTakesTheListedInterval()
    {
        constexpr qint64 hour = 3'600'000;
        const qint64 t = 1'767'225'600'000;
        InstrumentFeed feed(m_i);
        feed.setFundingInterval(8);
        feed.addFunding({{t + 30 * hour, 0.0001, 1}, {t + 31 * hour, 0.0001, 1}}); // the newest page
        feed.addFunding({{t, 0.0002, 0}, {t + 8 * hour, 0.0002, 8}});            // the oldest
        const MarketBatch b = feed.take();
        QCOMPARE(b.funding.size(), 4);
        QCOMPARE(b.funding[2].ts, t);
        QCOMPARE(b.funding[2].intervalHours, 8);
        // Without a listed interval the running one stands in.
        InstrumentFeed unlisted(m_i);
        unlisted.addFunding({{t, 0.0001, 4}});
        unlisted.addFunding({{t + 4 * hour, 0.0001, 0}});
        QCOMPARE(unlisted.take().funding.back().intervalHours, 4);
    }
};

QTEST_GUILESS_MAIN(TestInstrumentFeed)
#include "tst_instrumentfeed.moc"
