#include "pgcluster.h"
#include "sources/sim/simulator.h"
#include "sources/sourcefactory.h"
#include "storage/csvexporter.h"
#include "storage/marketstore.h"
#include "storage/rangecsvwriter.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QBuffer>
#include <QSignalSpy>

// Issue 18: the same results from SQLite and PostgreSQL. One simulator seed (two days of
// market, every kind of row: candles and their tiers, mark price, funding, predicted funding,
// OI, liquidations, ground truth, coverage) goes into an SQLite file and into a database of a
// throwaway PostgreSQL cluster by the same writer calls; then every `export csv` kind, at
// every timeframe it has, is byte for byte the same from both, and so is everything else a
// reader shows. A replayed batch changes 0 rows on both.
class TestStoreIdentity : public QObject
{
    Q_OBJECT

private:
    static constexpr qint64 end = 1'769'817'600'000; // 2026-01-31T00:00:00Z
    PgCluster m_cluster;
    QTemporaryDir m_dir;
    QString m_sqlite;
    QString m_pg;
    Instrument m_instrument;
    QList<MarketBatch> m_batches;
    QList<qint64> m_changedSqlite, m_changedPg;

    // Writes what a run of the simulator emitted, as the ingest worker does.
    static QList<qint64> writeAll(const QString &store, const QList<MarketBatch> &batches, const Simulator &sim)
    {
        auto writer = MarketStore::open(store).writer();
        writer->clearSeries(sim.instruments().front());
        writer->setLiquidationFeed(sim.instruments().front(), sim.liquidationFeed());
        const auto meta = sim.metadata();
        for (auto it = meta.cbegin(); it != meta.cend(); ++it)
            writer->setMeta(it.key(), it.value());
        QList<qint64> changed;
        for (const MarketBatch &b : batches)
            changed << writer->commit(b).changedRows;
        return changed;
    }

    static QByteArray exportCsv(const QString &store, const CsvExporter::Spec &spec)
    {
        auto reader = MarketStore::openReadOnly(store).reader();
        QBuffer buf;
        buf.open(QIODevice::WriteOnly);
        CsvExporter(*reader).write(spec, buf);
        return buf.data();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QString why;
        QVERIFY2(m_cluster.start(&why), qPrintable(why));
        m_sqlite = m_dir.filePath(QStringLiteral("identity.db"));
        m_pg = m_cluster.uri();

        // Two days of the default market, with fewer agents and a shorter warm-up than the
        // command line's (the same code path, less time).
        SourceOptions o;
        o.source = QStringLiteral("sim");
        o.days = 2;
        o.endMs = end;
        o.seed = 18;
        o.store = m_sqlite;
        o.extra.insert(QStringLiteral("agents"), QStringLiteral("8000"));
        QString error;
        std::unique_ptr<DataSource> made(SourceFactory::create(o, &error));
        auto *built = qobject_cast<Simulator *>(made.get());
        QVERIFY2(built, qPrintable(error));
        Simulator::Options opt = built->options();
        opt.warmupSeconds = 6 * 3600;
        Simulator sim(opt);
        m_instrument = sim.instruments().front();

        QString failure;
        connect(&sim, &DataSource::batchReady, this, [this](const MarketBatch &b) { m_batches << b; });
        connect(&sim, &DataSource::failed, this, [&failure](const QString &reason) { failure = reason; });
        QSignalSpy finished(&sim, &DataSource::finished);
        sim.start();
        QVERIFY(finished.wait(240'000));
        QVERIFY2(failure.isEmpty(), qPrintable(failure));
        QVERIFY(m_batches.size() >= 6);

        m_changedSqlite = writeAll(m_sqlite, m_batches, sim);
        m_changedPg = writeAll(m_pg, m_batches, sim);
        qint64 rows = 0;
        for (const MarketBatch &b : std::as_const(m_batches))
            rows += b.rowCount();
        qInfo("%lld batches, %lld rows written into each store", qint64(m_batches.size()), rows);
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void everyExportKindIsIdenticalFromBothStores()
    {
        int compared = 0;
        for (const QString &kind : CsvExporter::kinds()) {
            const bool candles = kind == QLatin1String("candles") || kind == QLatin1String("mark");
            const bool heatmap = kind == QLatin1String("heatmap");
            // What `export csv` exports without --from/--to: the series' extent.
            const TimeRange extent = MarketStore::openReadOnly(m_sqlite).reader()->extent(m_instrument, CsvExporter::extentKind(kind));
            QCOMPARE(MarketStore::openReadOnly(m_pg).reader()->extent(m_instrument, CsvExporter::extentKind(kind)), extent);
            QVERIFY2(extent.isValid(), qPrintable(kind));
            const QList<Timeframe> tfs = candles ? QList<Timeframe>(Timeframes::all.begin(), Timeframes::all.end())
                                         : heatmap ? QList<Timeframe>{Timeframe::M15, Timeframe::H1}
                                                   : QList<Timeframe>{Timeframe::M1};
            for (Timeframe tf : tfs) {
                const CsvExporter::Spec spec{kind, m_instrument, extent, tf};
                const QByteArray lite = exportCsv(m_sqlite, spec), pg = exportCsv(m_pg, spec);
                const QString what = QStringLiteral("%1 at %2").arg(kind, Timeframes::name(tf));
                QVERIFY2(lite.count('\n') >= 3, qPrintable(what + QStringLiteral(": nothing exported")));
                if (lite != pg) {
                    const QList<QByteArray> a = lite.split('\n'), b = pg.split('\n');
                    qsizetype i = 0;
                    while (i < std::min(a.size(), b.size()) && a[i] == b[i])
                        ++i;
                    QFAIL(qPrintable(QStringLiteral("%1 differs at line %2: SQLite '%3', PostgreSQL '%4'")
                                         .arg(what)
                                         .arg(i + 1)
                                         .arg(QString::fromUtf8(a.value(i)), QString::fromUtf8(b.value(i)))));
                }
                ++compared;
            }
        }
        QCOMPARE(compared, 6 * 2 + 4 + 2);
    }

    void everythingElseAReaderShowsIsIdentical()
    {
        auto lite = MarketStore::openReadOnly(m_sqlite).reader();
        auto pg = MarketStore::openReadOnly(m_pg).reader();
        QCOMPARE(pg->instruments(), lite->instruments());
        const TimeRange all{0, end * 2};
        for (DataKind kind : {DataKind::Candles, DataKind::MarkCandles, DataKind::Funding, DataKind::PredictedFunding, DataKind::OpenInterest,
                              DataKind::Liquidations, DataKind::GroundTruth}) {
            QCOMPARE(pg->count(m_instrument, kind), lite->count(m_instrument, kind));
            QCOMPARE(pg->extent(m_instrument, kind), lite->extent(m_instrument, kind));
        }
        QVERIFY(lite->count(m_instrument, DataKind::Liquidations) > 0);
        QVERIFY(lite->count(m_instrument, DataKind::GroundTruth) > 0);
        QCOMPARE(pg->groundTruth(m_instrument, all), lite->groundTruth(m_instrument, all));
        QCOMPARE(pg->coverage(m_instrument), lite->coverage(m_instrument));
        for (Timeframe tf : Timeframes::all) {
            QCOMPARE(pg->liquidationBars(m_instrument, tf, all), lite->liquidationBars(m_instrument, tf, all));
            for (LineSeries s : {LineSeries::OpenInterest, LineSeries::OpenInterestUsd, LineSeries::PredictedFunding})
                QCOMPARE(pg->lineBars(m_instrument, s, tf, all), lite->lineBars(m_instrument, s, tf, all));
        }
        QCOMPARE(pg->liquidationFeed(m_instrument), lite->liquidationFeed(m_instrument));
        QCOMPARE(pg->latestLiquidations(m_instrument, end, 50), lite->latestLiquidations(m_instrument, end, 50));
        const TimeRange day = lite->extent(m_instrument, DataKind::Candles);
        QCOMPARE(pg->openInterestAt(m_instrument, day.from + 3'600'000), lite->openInterestAt(m_instrument, day.from + 3'600'000));
        // The selection export (every series of a range as one table).
        const auto selection = [&](StoreReader &r) {
            QBuffer buf;
            buf.open(QIODevice::WriteOnly);
            RangeCsvWriter(r).write(m_instrument, day, buf);
            return buf.data();
        };
        QCOMPARE(selection(*pg), selection(*lite));
        QCOMPARE(MarketStore::openReadOnly(m_pg).integrityCheck(), QStringLiteral("ok"));
    }

    void aReplayedBatchChangesNothingOnBoth()
    {
        // The first write counted the same rows on both...
        QCOMPARE(m_changedPg, m_changedSqlite);
        QVERIFY(m_changedSqlite.front() > 0);
        // ... and writing a batch again changes nothing on either.
        for (const QString &store : {m_sqlite, m_pg}) {
            auto writer = MarketStore::open(store).writer();
            for (qsizetype i : {qsizetype(0), m_batches.size() / 2, m_batches.size() - 1})
                QCOMPARE(writer->commit(m_batches[i]).changedRows, 0);
        }
        const CsvExporter::Spec spec{QStringLiteral("candles"), m_instrument, {0, end * 2}, Timeframe::H1};
        QCOMPARE(exportCsv(m_pg, spec), exportCsv(m_sqlite, spec));
    }
};

QTEST_GUILESS_MAIN(TestStoreIdentity)
#include "tst_storeidentity.moc"
