#include "analysis/heatmapparams.h"
#include "analysis/heatmapservice.h"
#include "heatmapmodel.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QSignalSpy>
#include <future>
#include <thread>

// HeatmapModel, the GUI's view of the predicted heatmap: grids for what the panes ask, off the
// GUI thread, only the newest request answered (a wheel burst must not paint the map of a
// view already left), the same request not computed twice, nonsense requests (no price
// range, no size) refused instead of computed, new parameters recompute, commits extend the
// model and refresh the grid, the map at the cursor, and a database problem said, not hidden.
class TestHeatmapModel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    static constexpr qint64 hour = 3'600'000;
    static constexpr qint64 day = 24 * hour;
    static constexpr int days = 4;
    double m_low = 0;
    double m_high = 0;

    HeatmapModel::GridRequest request(TimeRange range, int columns = 120, int rows = 80) const
    {
        HeatmapModel::GridRequest r;
        r.instrument = m_i;
        r.range = range;
        r.columns = columns;
        r.rows = rows;
        r.priceLow = m_low;
        r.priceHigh = m_high;
        return r;
    }

    static double total(const HeatmapGrid &g)
    {
        double sum = 0;
        for (int i = 0; i < g.longUsd.size(); ++i)
            sum += double(g.longUsd[i]) + double(g.shortUsd[i]);
        return sum;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("heat.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = days * 1440;
        p.seed = 23;
        SyntheticSource source(p);
        const MarketBatch batch = source.generate(p.minutes);
        QVERIFY(!batch.openInterest.isEmpty());
        double lo = batch.candles.front().low, hi = batch.candles.front().high;
        for (const Candle &c : batch.candles) {
            lo = std::min(lo, c.low);
            hi = std::max(hi, c.high);
        }
        m_low = lo * 0.9;
        m_high = hi * 1.1;
        MarketStore::open(m_db).writer()->commit(batch);
    }

    void gridCoversTheRequestOffTheGuiThread()
    {
        HeatmapModel model(m_db);
        QSignalSpy ready(&model, &HeatmapModel::gridReady);
        QSignalSpy failed(&model, &HeatmapModel::failed);
        const auto r = request({t0 + 2 * day, t0 + 3 * day});
        model.requestGrid(r);
        QVERIFY(!model.grid()); // not computed inside the call
        QVERIFY(ready.wait(60000));
        QCOMPARE(ready.size(), 1);
        QVERIFY(failed.isEmpty());
        const HeatmapGrid &g = *model.grid();
        QCOMPARE(g.range, r.range);
        QCOMPARE(g.columns, r.columns);
        QCOMPARE(g.rows, r.rows);
        QCOMPARE(g.priceLow, m_low);
        QCOMPARE(g.priceHigh, m_high);
        QCOMPARE(g.longUsd.size(), qsizetype(r.columns) * r.rows);
        QVERIFY(g.hasOpenInterest);
        QVERIFY(total(g) > 0);
        // Columns in time order inside the range.
        for (int c = 1; c < g.columns; ++c)
            QVERIFY(g.columnTimes[c] > g.columnTimes[c - 1]);
        QVERIFY(g.columnTimes.front() >= r.range.from && g.columnTimes.back() <= r.range.to);

        // The same request again: nothing to compute, nothing announced.
        model.requestGrid(r);
        QVERIFY(!ready.wait(300));
        QCOMPARE(ready.size(), 1);
    }

    void onlyTheNewestRequestIsAnswered()
    {
        HeatmapModel model(m_db);
        QSignalSpy ready(&model, &HeatmapModel::gridReady);
        // A wheel burst: five views, one after the other, before any is done.
        for (int i = 0; i < 5; ++i)
            model.requestGrid(request({t0 + day + i * hour, t0 + 2 * day + 2 * i * hour}, 100 + i, 60));
        const auto last = request({t0 + 2 * day, t0 + 3 * day + 6 * hour}, 140, 70);
        model.requestGrid(last);
        QVERIFY(ready.wait(60000));
        QCOMPARE(model.grid()->range, last.range);
        QCOMPARE(model.grid()->columns, last.columns);
        // No late reply for an abandoned view arrives after it.
        QVERIFY(!ready.wait(500));
        QCOMPARE(ready.size(), 1);
        QCOMPARE(model.grid()->range, last.range);
    }

    void nonsenseRequestsAreRefused()
    {
        HeatmapModel model(m_db);
        QSignalSpy ready(&model, &HeatmapModel::gridReady);
        QSignalSpy failed(&model, &HeatmapModel::failed);
        const TimeRange range{t0 + 2 * day, t0 + 3 * day};
        auto noLow = request(range);
        noLow.priceLow = 0; // an empty pane's axis: "need 0 < priceLow < priceHigh" must not reach the user
        auto reversed = request(range);
        std::swap(reversed.priceLow, reversed.priceHigh);
        auto noColumns = request(range, 0, 80);
        auto noRows = request(range, 120, 0);
        auto noRange = request({t0 + 3 * day, t0 + 2 * day});
        auto nanLow = request(range);
        nanLow.priceLow = std::nan("");
        for (const auto &r : {noLow, reversed, noColumns, noRows, noRange, nanLow})
            model.requestGrid(r);
        QVERIFY(!ready.wait(500));
        QVERIFY(failed.isEmpty());
        QVERIFY(!model.grid());

        // Switched off (the heatmap hidden), requests are not computed either.
        model.setEnabled(false);
        QVERIFY(!model.isEnabled());
        model.requestGrid(request(range));
        model.requestMap(m_i, t0 + 2 * day);
        QVERIFY(!ready.wait(500));
        QVERIFY(!model.grid());
        QVERIFY(!model.map());
        model.setEnabled(true);
        model.requestGrid(request(range));
        QVERIFY(ready.wait(60000));
    }

    void newParametersRecompute()
    {
        HeatmapModel model(m_db);
        QSignalSpy ready(&model, &HeatmapModel::gridReady);
        QSignalSpy changed(&model, &HeatmapModel::paramsChanged);
        const auto r = request({t0 + 2 * day, t0 + 3 * day});
        model.requestGrid(r);
        QVERIFY(ready.wait(60000));
        const double before = total(*model.grid());

        // The same parameters: nothing happens.
        model.setParams(model.params());
        QCOMPARE(changed.size(), 0);

        const auto high = HeatmapParams::preset(QStringLiteral("high_leverage"));
        QVERIFY(high);
        QVERIFY(!(*high == model.params()));
        model.setParams(*high);
        QCOMPARE(changed.size(), 1);
        QVERIFY(model.params() == *high);
        QVERIFY(!model.grid()); // the old picture is not shown as the new model's
        QVERIFY(ready.wait(60000));
        QCOMPARE(model.grid()->range, r.range);
        QVERIFY(total(*model.grid()) > 0);
        QVERIFY(total(*model.grid()) != before);
    }

    // Issue 19.7: new parameters cancel the job running for the old ones (it reports
    // cancelled and answers nothing), the new grid follows, and the GUI thread's calls never
    // wait for a build in progress: here another query (the range analysis, say) is building
    // the history the model's job needs, and holds it until the test lets go.
    void newParametersCancelTheRunningJob()
    {
        HeatmapModel model(m_db);
        QSignalSpy ready(&model, &HeatmapModel::gridReady);
        QSignalSpy cancelled(&model, &HeatmapModel::cancelled);
        const auto service = model.service();
        std::promise<void> entered, release;
        std::shared_future<void> released = release.get_future().share();
        bool first = true;
        HeatmapJob holder;
        holder.progress = [&](double, const QString &) {
            if (std::exchange(first, false)) {
                entered.set_value();
                released.wait();
            }
        };
        const HeatmapParams old = model.params();
        std::thread builder([&] { service->update(m_i, old, holder); });
        entered.get_future().wait();

        const auto r = request({t0 + 2 * day, t0 + 3 * day});
        model.requestGrid(r); // its job waits for the history being built
        // Commits arrive meanwhile: marked, not waited for.
        model.onAppended(m_i, DataKind::Candles, t0 + day, t0 + 2 * day);
        model.onAppended(m_i, DataKind::OpenInterest, t0 + 3 * day, t0 + 4 * day);
        const auto high = HeatmapParams::preset(QStringLiteral("high_leverage"));
        QVERIFY(high);
        model.setParams(*high);
        QVERIFY(cancelled.isEmpty()); // still held: nothing could have finished
        QVERIFY(ready.isEmpty());
        release.set_value();
        builder.join();

        QVERIFY(ready.wait(60000));
        QVERIFY(cancelled.size() >= 1);
        QCOMPARE(cancelled.first().first().toString(), QStringLiteral("grid"));
        QCOMPARE(ready.size(), 1); // the old parameters' job answered nothing
        QCOMPARE(model.grid()->range, r.range);
        // The grid shown is the new parameters' one.
        HeatmapService fresh(m_db);
        const auto expected = fresh.grid(m_i, r.range, r.columns, r.priceLow, r.priceHigh, r.rows, *high);
        QVERIFY(expected);
        QCOMPARE(model.grid()->longUsd, expected->longUsd);
    }

    // The model goes away while its job waits for a history: the job finishes on its own
    // state (no pointer back to the model) and the model's destructor does not hang on it.
    void modelDestroyedWhileItsJobWaits()
    {
        auto model = std::make_unique<HeatmapModel>(m_db);
        const auto service = model->service();
        std::promise<void> entered, release;
        std::shared_future<void> released = release.get_future().share();
        bool first = true;
        HeatmapJob holder;
        holder.progress = [&](double, const QString &) {
            if (std::exchange(first, false)) {
                entered.set_value();
                released.wait();
            }
        };
        const HeatmapParams params = model->params();
        std::thread builder([&] { service->update(m_i, params, holder); });
        entered.get_future().wait();
        model->requestGrid(request({t0 + 2 * day, t0 + 3 * day}));
        model->requestMap(m_i, t0 + 3 * day);
        release.set_value(); // the destructor cancels and waits for the jobs, which now can run
        model.reset();
        builder.join();
        QVERIFY(service->holds(m_i, params));
    }

    void commitsRefreshTheGrid()
    {
        // A copy of the database that grows while the model watches it.
        const QString db = m_dir.filePath(QStringLiteral("grow.db"));
        SyntheticSource::Params p;
        p.instrument = m_i;
        p.startMs = t0;
        p.minutes = days * 1440;
        p.seed = 23;
        SyntheticSource source(p);
        MarketStore::open(db).writer()->commit(source.generate(2 * 1440));

        HeatmapModel model(db);
        QSignalSpy ready(&model, &HeatmapModel::gridReady);
        const auto r = request({t0 + day, t0 + 3 * day});
        model.requestGrid(r);
        QVERIFY(ready.wait(60000));
        const QVector<float> before = model.grid()->longUsd;
        const qint64 lastColumn = model.grid()->columnTimes.back();

        // The next day arrives, as the data thread commits it.
        MarketStore::open(db).writer()->commit(source.generate(1440));
        model.onAppended(m_i, DataKind::Candles, t0 + 2 * day, t0 + 3 * day);
        QVERIFY(ready.wait(60000));
        QCOMPARE(model.grid()->range, r.range);
        QCOMPARE(model.grid()->columnTimes.back(), lastColumn);
        QVERIFY2(model.grid()->longUsd != before, "the grid over the new day was not recomputed");

        // Kinds the model is not built from (funding) change nothing.
        model.onAppended(m_i, DataKind::Funding, t0 + 2 * day, t0 + 3 * day);
        QVERIFY(!ready.wait(800));
    }

    void mapAtTheCursor()
    {
        HeatmapModel model(m_db);
        QSignalSpy ready(&model, &HeatmapModel::mapReady);
        const qint64 t = t0 + 3 * day + 5 * hour;
        model.requestMap(m_i, t);
        QVERIFY(ready.wait(60000));
        QVERIFY(model.map().has_value());
        const LiquidationMap &m = *model.map();
        QVERIFY(m.hasOpenInterest);
        QVERIFY(m.price > m_low && m.price < m_high);
        QVERIFY(!m.longs.isEmpty() && !m.shorts.isEmpty());
        // Longs below the price, ordered away from it, cumulative; shorts above it.
        for (int i = 0; i < m.longs.size(); ++i) {
            QVERIFY(m.longs[i].priceHigh <= m.price * 1.0001);
            if (i > 0) {
                QVERIFY(m.longs[i].priceHigh <= m.longs[i - 1].priceLow + 1e-9);
                QVERIFY(m.longs[i].cumulativeUsd >= m.longs[i - 1].cumulativeUsd);
            }
        }
        for (int i = 0; i < m.shorts.size(); ++i) {
            QVERIFY(m.shorts[i].priceLow >= m.price * 0.9999);
            if (i > 0)
                QVERIFY(m.shorts[i].cumulativeUsd >= m.shorts[i - 1].cumulativeUsd);
        }

        // The cursor sweeps: only where it stopped matters, and that map arrives last.
        ready.clear();
        for (int i = 1; i <= 10; ++i)
            model.requestMap(m_i, t0 + 2 * day + i * hour);
        QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1 && model.map()->time == t0 + 2 * day + 10 * hour, 60000);
        QVERIFY(ready.size() <= 2); // the one running when the sweep began, then the last
        // No instrument, no map request.
        ready.clear();
        model.requestMap(Instrument{}, t);
        QVERIFY(!ready.wait(300));
    }

    void databaseProblemsAreSaid()
    {
        HeatmapModel model(m_dir.filePath(QStringLiteral("missing/none.db")));
        QSignalSpy ready(&model, &HeatmapModel::gridReady);
        QSignalSpy failed(&model, &HeatmapModel::failed);
        model.requestGrid(request({t0 + 2 * day, t0 + 3 * day}));
        QVERIFY(failed.wait(30000));
        QVERIFY(!failed.first().first().toString().isEmpty());
        QVERIFY(ready.isEmpty());
        QVERIFY(!model.grid());
    }
};

QTEST_GUILESS_MAIN(TestHeatmapModel)
#include "tst_heatmapmodel.moc"
