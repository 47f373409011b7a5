#include "domain/timeformat.h"
#include "sources/sim/simhistory.h"
#include "sources/sim/simulator.h"
#include "sources/sourcefactory.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QSignalSpy>

// A stored simulated history is continued, not rewritten (issue 12.3): a run cut in two -
// half a day, then a second start on the same store - stores exactly the rows of one
// uninterrupted run, every row of the first half untouched; a start that names another
// market is refused unless it asks to replace; a store whose rows a replay does not
// reproduce is refused and left as it is.
class TestSimHistory : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 end = 1'769'817'600'000; // 2026-01-31T00:00:00Z
    static constexpr qint64 halfDay = 12 * 3600'000LL;
    const Instrument m_sim{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
    QTemporaryDir m_dir;

    // What the factory builds for the command line: one day ending at `endMs`; a short
    // warm-up keeps the test quick (the run record keeps it, so a replay uses it too).
    static SourceOptions request(const QString &store, qint64 endMs, quint64 seed = 42)
    {
        SourceOptions o;
        o.source = QStringLiteral("sim");
        o.days = 1;
        o.endMs = endMs;
        o.seed = seed;
        o.store = store;
        o.extra.insert(QStringLiteral("agents"), QStringLiteral("8000"));
        return o;
    }

    static Simulator *build(const SourceOptions &o, QString *error)
    {
        auto *s = qobject_cast<Simulator *>(SourceFactory::create(o, error));
        if (s) { // a day of warm-up instead of a week: the same code path, less time
            Simulator::Options opt = s->options();
            const bool fresh = !s->resumes();
            delete s;
            if (fresh)
                opt.warmupSeconds = 86'400;
            s = new Simulator(opt);
        }
        return s;
    }

    // Runs a simulator into the store as the IngestWorker does (clears a replaced history,
    // writes the metadata, commits every batch). Returns the failure, if any.
    static QString runInto(Simulator *sim, const QString &path)
    {
        std::unique_ptr<Simulator> owner(sim);
        MarketStore::open(path);
        auto writer = MarketStore::openExisting(path).writer();
        if (sim->replacesStoredHistory())
            writer->clearSeries(sim->instruments().front());
        writer->setLiquidationFeed(sim->instruments().front(), sim->liquidationFeed());
        const auto meta = sim->metadata();
        for (auto it = meta.cbegin(); it != meta.cend(); ++it)
            writer->setMeta(it.key(), it.value());
        sim->setStore(path);
        QString failure;
        connect(sim, &DataSource::batchReady, sim, [&](const MarketBatch &b) { writer->commit(b); });
        connect(sim, &DataSource::failed, sim, [&](const QString &why) { failure = why; });
        QSignalSpy finished(sim, &DataSource::finished);
        sim->start();
        if (!finished.wait(240'000))
            return QStringLiteral("timeout");
        return failure;
    }

    struct Rows
    {
        QVector<Candle> candles, marks;
        QVector<FundingSample> funding, predicted;
        QVector<OpenInterestSample> oi;
        QVector<Liquidation> liquidations;
        QVector<GroundTruthCell> truth;
        QVector<LiquidationBar> liqBars;
        QVector<Candle> hours;
    };

    Rows rows(const QString &path, TimeRange r)
    {
        auto reader = MarketStore::openExisting(path).reader();
        Rows out;
        out.candles = reader->candles(m_sim, Timeframe::M1, r);
        out.marks = reader->markCandles(m_sim, Timeframe::M1, r);
        out.funding = reader->funding(m_sim, r);
        out.predicted = reader->predictedFunding(m_sim, r);
        out.oi = reader->openInterest(m_sim, r);
        out.liquidations = reader->liquidations(m_sim, r);
        out.truth = reader->groundTruth(m_sim, r);
        out.liqBars = reader->liquidationBars(m_sim, Timeframe::H1, r);
        out.hours = reader->candles(m_sim, Timeframe::H1, r);
        return out;
    }

    static void compareRows(const Rows &a, const Rows &b)
    {
        QCOMPARE(a.candles.size(), b.candles.size());
        QVERIFY(a.candles == b.candles);
        QVERIFY(a.marks == b.marks);
        QVERIFY(a.funding == b.funding);
        QVERIFY(a.predicted == b.predicted);
        QVERIFY(a.oi == b.oi);
        QVERIFY(a.liquidations == b.liquidations);
        QVERIFY(a.truth == b.truth);
        QVERIFY(a.liqBars == b.liqBars);
        QVERIFY(a.hours == b.hours);
    }

private slots:
    void aContinuedRunStoresWhatOneRunWould()
    {
        const QString whole = m_dir.filePath(QStringLiteral("whole.db")), split = m_dir.filePath(QStringLiteral("split.db"));
        QString error;
        // One uninterrupted run from end - 1 day to end + half a day...
        SourceOptions o = request(whole, end);
        Simulator *first = build(o, &error);
        QVERIFY2(first, qPrintable(error));
        Simulator::Options longer = first->options();
        delete first;
        longer.endMs = end + halfDay;
        QVERIFY2(runInto(new Simulator(longer), whole).isEmpty(), "whole run failed");

        // ... and the same market cut in two: a day, then a second start half a day later.
        Simulator *a = build(request(split, end), &error);
        QVERIFY2(a && !a->resumes(), qPrintable(error));
        QVERIFY2(runInto(a, split).isEmpty(), "first half failed");
        const TimeRange firstHalf{end - 86'400'000, end};
        const Rows before = rows(split, firstHalf);
        QCOMPARE(before.candles.size(), 1440);

        Simulator *b = build(request(split, end + halfDay), &error);
        QVERIFY2(b, qPrintable(error));
        QVERIFY(b->resumes());
        QVERIFY(!b->replacesStoredHistory());
        QCOMPARE(b->options().startMs, end - 86'400'000);
        QCOMPARE(b->options().resumeMs, end - 60'000); // the newest stored bar is simulated again
        QVERIFY2(b->plan().startsWith(QStringLiteral("continuing the stored simulated market (treadmill · seed 42 · agents=8000) from")),
                 qPrintable(b->plan()));
        QVERIFY2(runInto(b, split).isEmpty(), "continuation failed");

        compareRows(rows(split, firstHalf), before); // the stored day is untouched
        const TimeRange all{end - 86'400'000, end + halfDay};
        const Rows continued = rows(split, all), reference = rows(whole, all);
        QCOMPARE(continued.candles.size(), 1440 + 720);
        compareRows(continued, reference); // and the continuation is the uninterrupted run
        auto reader = MarketStore::openExisting(split).reader();
        const auto cov = reader->coverageSummary(m_sim, DataKind::Candles, all);
        QVERIFY(cov.isFull());

        // A backfill that asks for no more than is stored writes nothing.
        Simulator *c = build(request(split, end), &error);
        QVERIFY2(c && c->resumes(), qPrintable(error));
        QVERIFY2(c->plan().contains(QLatin1String("already reaches")), qPrintable(c->plan()));
        QVERIFY(runInto(c, split).isEmpty());
        compareRows(rows(split, all), continued);
    }

    void anotherMarketIsRefusedUnlessReplacing()
    {
        const QString db = m_dir.filePath(QStringLiteral("other.db"));
        QString error;
        QVERIFY(runInto(build(request(db, end), &error), db).isEmpty());
        const Rows before = rows(db, {end - 86'400'000, end});

        // The GUI's defaults name no market: they adopt the stored one.
        SourceOptions gui = request(db, end + halfDay, 7);
        Simulator *adopted = build(gui, &error);
        QVERIFY2(adopted, qPrintable(error));
        QCOMPARE(adopted->options().seed, quint64(42));
        delete adopted;

        // The command line named seed 7: refused, with how to replace.
        SourceOptions cli = gui;
        cli.runExplicit = true;
        QVERIFY(!SourceFactory::create(cli, &error));
        QVERIFY2(error.contains(QStringLiteral("treadmill · seed 42")) && error.contains(QLatin1String("--replace"))
                     && error.contains(QLatin1String("seed 7")),
                 qPrintable(error));
        compareRows(rows(db, {end - 86'400'000, end}), before);

        // Replacing is explicit: a new market, the old rows gone.
        cli.replaceHistory = true;
        Simulator *fresh = build(cli, &error);
        QVERIFY2(fresh && !fresh->resumes() && fresh->replacesStoredHistory(), qPrintable(error));
        QVERIFY(runInto(fresh, db).isEmpty());
        const Rows after = rows(db, {end - 86'400'000, end + halfDay});
        QCOMPARE(after.candles.size(), 1440);
        QCOMPARE(after.candles.front().ts, end + halfDay - 86'400'000);
        auto reader = MarketStore::openExisting(db).reader();
        QVERIFY(reader->meta(SimRunRecord::metaKey(m_sim)).contains(QLatin1String("\"seed\":\"7\"")));
    }

    void aHistoryTheReplayDoesNotReproduceIsKept()
    {
        const QString db = m_dir.filePath(QStringLiteral("edited.db"));
        QString error;
        QVERIFY(runInto(build(request(db, end), &error), db).isEmpty());
        // Someone edits one bar (or an older build made the rows).
        {
            auto reader = MarketStore::openExisting(db).reader();
            MarketBatch edit;
            edit.instrument = m_sim;
            Candle c = reader->candles(m_sim, Timeframe::M1, {end - 3 * 3600'000, end - 3 * 3600'000 + 60'000}).front();
            c.close = c.close + 1;
            c.high = std::max(c.high, c.close);
            edit.candles = {c};
            MarketStore::openExisting(db).writer()->commit(edit);
        }
        const Rows before = rows(db, {end - 86'400'000, end});
        Simulator *sim = build(request(db, end + halfDay), &error);
        QVERIFY2(sim && sim->resumes(), qPrintable(error));
        const QString failure = runInto(sim, db);
        QVERIFY2(failure.contains(QLatin1String("differs from a replay")) && failure.contains(TimeFormat::display(end - 3 * 3600'000)),
                 qPrintable(failure));
        compareRows(rows(db, {end - 86'400'000, end + halfDay}), before); // nothing written, nothing lost

        // A record of another simulator model is refused before any replay.
        {
            auto reader = MarketStore::openExisting(db).reader();
            QString record = reader->meta(SimRunRecord::metaKey(m_sim));
            record.replace(QStringLiteral("\"model\":%1").arg(SimRunRecord::modelVersion), QStringLiteral("\"model\":1"));
            MarketStore::openExisting(db).writer()->setMeta(SimRunRecord::metaKey(m_sim), record);
        }
        QVERIFY(!SourceFactory::create(request(db, end + halfDay), &error));
        QVERIFY2(error.contains(QLatin1String("another version of the simulator")) && error.contains(QLatin1String("kept as it is")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestSimHistory)
#include "tst_simhistory.moc"
