#include "fakebinance.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"
#include "testzip.h"

#include <QProcess>

// perpscope backfill --source binance, headless, against a loopback Binance: the real
// binary, the real data thread and writer.
class TestBinanceBackfill : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Runs the binary without blocking this thread's event loop (the fake server lives here).
    static TestUtil::RunResult run(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(PERPSCOPE_BINARY), args);
        TestUtil::RunResult r;
        QElapsedTimer t;
        t.start();
        while (p.state() != QProcess::NotRunning && t.elapsed() < 60'000)
            QTest::qWait(20);
        if (p.state() != QProcess::NotRunning) {
            p.kill();
            p.waitForFinished();
            r.err = QStringLiteral("timeout");
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        return r;
    }

private slots:
    void backfillsDaysOfLinkUsdt()
    {
        const QByteArray csv = TestZip::extractFirst(TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip")));
        FakeBinance::Dataset d;
        for (const QByteArray &line : csv.split('\n')) {
            const auto f = line.trimmed().split(',');
            if (f.size() == 12 && std::isdigit(uchar(f[0][0])))
                d.candles << Candle{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(),
                                    f[7].toDouble(), f[9].toDouble()};
        }
        d.mark = d.candles;
        for (qint64 t = 1'675'209'600'000; t < 1'677'628'800'000; t += 28'800'000)
            d.funding << FakeBinance::Funding{t + 2, "0.00010000"};
        const qint64 now = 1'675'728'000'000 + 30'000; // 2023-02-07 00:00:30
        FakeBinance::RestServer rest(now, 2400, 60'000);
        rest.data[QStringLiteral("LINKUSDT")] = d;
        FakeBinance::StreamServer ws;
        const QString db = m_dir.filePath(QStringLiteral("b.db"));
        const auto r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("binance"),
                            QStringLiteral("--instrument"), QStringLiteral("LINKUSDT"), QStringLiteral("--days"), QStringLiteral("3"),
                            QStringLiteral("--source-option"), QStringLiteral("rest_url=") + rest.url(), QStringLiteral("--source-option"),
                            QStringLiteral("ws_url=") + ws.url()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("backfilled BINANCE:LINKUSDT: 4320 1m candles from 2023-02-04T00:00:00Z to 2023-02-07T00:00:00Z, 9 funding")),
                 qPrintable(r.out));
        QCOMPARE(ws.connections(), 0); // a backfill does not stream
        auto reader = MarketStore::openExisting(db).reader();
        const Instrument link{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
        QCOMPARE(reader->liquidationFeed(link), QStringLiteral("throttled"));
        QCOMPARE(reader->count(link, DataKind::MarkCandles), 4320);
    }

    void bansAndBadOptionsAreOneLine()
    {
        FakeBinance::RestServer rest(1'675'728'000'000, 2400, 60'000);
        rest.faults = {{QStringLiteral("/fapi/v1/time"), 418, "{\"code\":-1003,\"msg\":\"Way too many requests; IP banned until 1675730000000.\"}", {}, 0, false}};
        const QString db = m_dir.filePath(QStringLiteral("c.db"));
        auto r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("binance"),
                      QStringLiteral("--days"), QStringLiteral("1"), QStringLiteral("--source-option"), QStringLiteral("rest_url=") + rest.url()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.trimmed().split(QLatin1Char('\n')).last().contains(QLatin1String("banned this IP address until 2023-02-07 00:33 UTC")), qPrintable(r.err));
        r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("binance"),
                 QStringLiteral("--source-option"), QStringLiteral("rest_url=ftp://x")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("rest_url 'ftp://x' is not a https/http URL")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestBinanceBackfill)
#include "tst_binancebackfill.moc"
