#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"

#include <QThread>

#include <atomic>

// The reader runs on its own connection while the writer commits: it must never wait for
// the writer, never surface SQLITE_BUSY, and only ever see whole batches.
class TestStoreReader : public QObject
{
    Q_OBJECT

private slots:
    void readerSeesOnlyCommittedBatchesWhileWriterRuns()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("concurrent.db"));
        const MarketStore store = MarketStore::open(path);
        const Instrument btc{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};
        constexpr int batchBars = 720; // half a day: every batch closes whole 4h buckets
        constexpr int batches = 60;
        constexpr qint64 t0 = 1'767'225'600'000;

        std::atomic<bool> done{false};
        QString writerError;
        QThread *writer = QThread::create([&] {
            try {
                auto w = store.writer();
                std::mt19937_64 rng(5);
                for (int i = 0; i < batches; ++i) {
                    MarketBatch b;
                    b.instrument = btc;
                    b.candles = TestUtil::randomBars(rng, t0 + qint64(i) * batchBars * 60'000, batchBars);
                    b.openInterest.resize(batchBars);
                    for (int k = 0; k < batchBars; ++k)
                        b.openInterest[k] = {b.candles[k].ts, 1000.0 + k, 1e6};
                    w->commit(b);
                }
            } catch (const StoreError &e) {
                writerError = e.message();
            }
            done = true;
        });

        auto reader = store.reader();
        writer->start();
        int reads = 0;
        qint64 lastCount = 0;
        QString readerError;
        while (!done) {
            try {
                const auto bars = reader->candles(btc, Timeframe::M1, {0, t0 * 2});
                const auto oi = reader->openInterest(btc, {0, t0 * 2});
                const auto h4 = reader->candles(btc, Timeframe::H4, {0, t0 * 2});
                ++reads;
                // Whole batches only, and never going backwards.
                QVERIFY2(bars.size() % batchBars == 0, qPrintable(QStringLiteral("partial batch visible: %1 bars").arg(bars.size())));
                QVERIFY(oi.size() % batchBars == 0);
                QVERIFY(bars.size() >= lastCount);
                QCOMPARE(h4.size() % (batchBars / 240), 0); // tiers commit with their 1m bars
                lastCount = bars.size();
            } catch (const StoreError &e) {
                readerError = e.message();
                break;
            }
        }
        writer->wait();
        delete writer;
        QVERIFY2(writerError.isEmpty(), qPrintable(writerError));
        QVERIFY2(readerError.isEmpty(), qPrintable(readerError));
        QVERIFY(reads > 5);
        QCOMPARE(reader->count(btc, DataKind::Candles), qint64(batches) * batchBars);
        qInfo() << reads << "consistent reads during" << batches << "commits";
    }
};

QTEST_GUILESS_MAIN(TestStoreReader)
#include "tst_storereader.moc"
