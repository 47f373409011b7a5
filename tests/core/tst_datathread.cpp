#include "sources/datathread.h"
#include "sources/syntheticsource.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QThread>

class TestDataThread : public QObject
{
    Q_OBJECT

private:
    static SyntheticSource *source(qint64 minutes, quint64 seed = 1, const QString &symbol = QStringLiteral("BTCUSDT"))
    {
        SyntheticSource::Params p;
        p.instrument = {QStringLiteral("SYNTH"), symbol};
        p.seed = seed;
        p.startMs = 1'767'225'600'000;
        p.minutes = minutes;
        p.barsPerBatch = 1440;
        return new SyntheticSource(p);
    }

private slots:
    void backfillCommitsAndAnnouncesInTheGuiThread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.db"));
        MarketStore::open(path);
        DataThread data(path);
        QSignalSpy appended(&data, &DataThread::appended);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        QThread *receivedIn = nullptr;
        connect(&data, &DataThread::appended, this, [&] { receivedIn = QThread::currentThread(); });
        data.setSource(source(7 * 1440));
        QVERIFY(finished.wait(20000));
        QCOMPARE(receivedIn, QThread::currentThread());
        QVERIFY(!appended.isEmpty());
        // Every announced range is readable when the signal arrives.
        const auto args = appended.last();
        QCOMPARE(args.at(0).value<Instrument>().symbol, QStringLiteral("BTCUSDT"));
        auto r = MarketStore::openExisting(path).reader();
        const Instrument i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
        QCOMPARE(r->count(i, DataKind::Candles), 7 * 1440);
        QCOMPARE(r->liquidationFeed(i), QStringLiteral("full"));
        bool sawCandles = false;
        for (const auto &a : appended)
            sawCandles |= a.at(1).value<DataKind>() == DataKind::Candles;
        QVERIFY(sawCandles);
    }

    void switchingSourcesStopsTheOldOneWithoutBlocking()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.db"));
        MarketStore::open(path);
        DataThread data(path);
        QSignalSpy committed(&data, &DataThread::committed);
        data.setSource(source(5 * 365 * 1440, 1, QStringLiteral("AAA"))); // years: still running when replaced
        QVERIFY(committed.wait(10000));
        QElapsedTimer t;
        t.start();
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        data.setSource(source(1440, 2, QStringLiteral("BBB")));
        QVERIFY(t.elapsed() < 100); // the GUI thread never waits for the data thread
        QVERIFY(finished.wait(20000));
        data.sync();
        auto r = MarketStore::openExisting(path).reader();
        const qint64 a = r->count({QStringLiteral("SYNTH"), QStringLiteral("AAA")}, DataKind::Candles);
        QVERIFY(a > 0 && a < 5 * 365 * 1440);
        QCOMPARE(a % 1440, 0); // whole batches only
        QCOMPARE(r->count({QStringLiteral("SYNTH"), QStringLiteral("BBB")}, DataKind::Candles), 1440);
        QTest::qWait(200);
        QCOMPARE(r->count({QStringLiteral("SYNTH"), QStringLiteral("AAA")}, DataKind::Candles), a); // really stopped
    }

    void destroyingWhileRunningIsClean()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.db"));
        MarketStore::open(path);
        {
            DataThread data(path);
            QSignalSpy committed(&data, &DataThread::committed);
            data.setSource(source(5 * 365 * 1440));
            QVERIFY(committed.wait(10000));
        } // joins here
        QCOMPARE(MarketStore::open(path).integrityCheck(), QStringLiteral("ok"));
    }

    void storeErrorsAreReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.db"));
        MarketStore::open(path);
        QFile::remove(path); // the writer cannot open it any more
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        QVERIFY(QDir(dir.path()).removeRecursively());
        DataThread data(path);
        QSignalSpy errors(&data, &DataThread::storeError);
        data.setSource(source(60));
        QVERIFY(errors.wait(5000));
        QVERIFY(errors.first().at(0).toString().contains(path));
    }
};

QTEST_GUILESS_MAIN(TestDataThread)
#include "tst_datathread.moc"
