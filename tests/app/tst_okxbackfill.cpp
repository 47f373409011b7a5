#include "fakeokx.h"
#include "testutil.h"
#include "testzip.h"

#include "storage/marketstore.h"
#include "storage/storereader.h"

#include <QProcess>

// perpscope backfill --source okx, headless, against a loopback OKX (REST in OKX's formats:
// the code/msg envelope, lists newest first walked back by the after cursor, rubik open
// interest, the real SWAP instrument list for ctVal), then export csv of every kind a backfill
// fetches: the files must hold exactly what the server served.
class TestOkxBackfill : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    static constexpr qint64 feb1 = 1'675'209'600'000;
    static constexpr qint64 minute = 60'000;

    // Runs the binary without blocking this thread's event loop (the fake server lives here).
    static TestUtil::RunResult run(const QStringList &args)
    {
        QProcess p;
        p.start(QStringLiteral(PERPSCOPE_BINARY), args);
        TestUtil::RunResult r;
        QElapsedTimer t;
        t.start();
        while (p.state() != QProcess::NotRunning && t.elapsed() < 90'000)
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

    QString exported(const QString &db, const QString &kind, qint64 from, qint64 to)
    {
        const QString out = m_dir.filePath(kind + QStringLiteral(".csv"));
        const auto r = run({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"), kind,
                            QStringLiteral("--instrument"), QStringLiteral("OKX:LINK-USDT-SWAP"), QStringLiteral("--from"), QString::number(from),
                            QStringLiteral("--to"), QString::number(to), QStringLiteral("--out"), out});
        if (r.exitCode != 0)
            return QStringLiteral("export failed: ") + r.err;
        QFile f(out);
        f.open(QIODevice::ReadOnly);
        return QString::fromUtf8(f.readAll());
    }

private slots:
    void storesExactlyWhatTheServerServed()
    {
        const QByteArray csv = TestZip::extractFirst(TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip")));
        FakeOkx::Dataset d;
        d.contractValue = 1; // LINK-USDT-SWAP: 1 LINK per contract
        for (const QByteArray &line : csv.split('\n')) {
            const auto f = line.trimmed().split(',');
            if (f.size() == 12 && std::isdigit(uchar(f[0][0])))
                d.candles << Candle{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(),
                                    f[7].toDouble(), 0};
        }
        for (const Candle &c : std::as_const(d.candles))
            d.mark << Candle{c.ts, c.open * 0.9998, c.high * 0.9998, c.low * 0.9998, c.close * 0.9998, 0, 0, 0};
        // Hand-written (documented formats): funding every 4 h (OKX's newer listings),
        // 5-minute rubik open interest in contracts, coins and USD.
        int k = 0;
        for (qint64 t = feb1; t < feb1 + 7 * 86'400'000LL; t += 4 * 3'600'000LL, ++k)
            d.funding << FakeOkx::Funding{t, QByteArray::number((k % 7 - 3) * 0.00001, 'f', 8)};
        for (qint64 t = feb1, j = 0; t < feb1 + 7 * 86'400'000LL; t += 300'000, ++j)
            d.openInterest << FakeOkx::OpenInterest{t, 2'000'000 + j * 3.25, 2'000'000 + j * 3.25, (2'000'000 + j * 3.25) * 6.75};
        const qint64 now = feb1 + 5 * 86'400'000LL + 30'000; // 2023-02-06 00:00:30
        QFile instruments(TestUtil::dataFile(QStringLiteral("okx/public-instruments-SWAP-2022-05-13.json")));
        QVERIFY(instruments.open(QIODevice::ReadOnly));
        FakeOkx::RestServer rest(now, instruments.readAll());
        rest.data[QStringLiteral("LINK-USDT-SWAP")] = d;
        const QString db = m_dir.filePath(QStringLiteral("o.db"));
        const auto r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("okx"),
                            QStringLiteral("--instrument"), QStringLiteral("LINK-USDT-SWAP"), QStringLiteral("--days"), QStringLiteral("2"),
                            QStringLiteral("--source-option"), QStringLiteral("rest_url=") + rest.url(), QStringLiteral("--source-option"),
                            QStringLiteral("ws_url=ws://127.0.0.1:9")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("backfilled OKX:LINK-USDT-SWAP: 2880 1m candles from 2023-02-04T00:00:00Z to 2023-02-06T00:00:00Z, 12 funding, 576 OI")),
                 qPrintable(r.out));

        const qint64 from = feb1 + 3 * 86'400'000LL, to = feb1 + 5 * 86'400'000LL;
        // taker_buy_volume: the venue's klines carry none, so export csv leaves it empty
        // (unknown); mark bars have none by nature (0).
        const auto bars = [&](const QVector<Candle> &rows, const QString &taker) {
            QString s = QStringLiteral("ts,open,high,low,close,volume,quote_volume,taker_buy_volume\n");
            for (const Candle &c : rows)
                if (c.ts >= from && c.ts < to)
                    s += QStringLiteral("%1,%2,%3,%4,%5,%6,%7,%8\n")
                             .arg(c.ts)
                             .arg(QString::fromLatin1(FakeOkx::num(c.open)), QString::fromLatin1(FakeOkx::num(c.high)),
                                  QString::fromLatin1(FakeOkx::num(c.low)), QString::fromLatin1(FakeOkx::num(c.close)),
                                  QString::fromLatin1(FakeOkx::num(c.volume)), QString::fromLatin1(FakeOkx::num(c.quoteVolume)), taker);
            return s;
        };
        QCOMPARE(exported(db, QStringLiteral("candles"), from, to), bars(d.candles, QString()));
        QCOMPARE(exported(db, QStringLiteral("mark"), from, to), bars(d.mark, QStringLiteral("0")));
        QString funding = QStringLiteral("ts,rate,interval_hours\n");
        for (const auto &f : std::as_const(d.funding))
            if (f.time >= from && f.time < to)
                funding += QStringLiteral("%1,%2,4\n").arg(f.time).arg(QString::fromLatin1(FakeOkx::num(f.realized.toDouble())));
        QCOMPARE(exported(db, QStringLiteral("funding"), from, to), funding);
        QString oi = QStringLiteral("ts,open_interest,open_interest_usd\n");
        for (const auto &o : std::as_const(d.openInterest))
            if (o.time >= from && o.time < to)
                oi += QStringLiteral("%1,%2,%3\n")
                          .arg(o.time)
                          .arg(QString::fromLatin1(FakeOkx::num(o.coins)), QString::fromLatin1(FakeOkx::num(o.usd)));
        QCOMPARE(exported(db, QStringLiteral("oi"), from, to), oi);
        // OKX serves no liquidation history over its documented REST: a backfill has none.
        QCOMPARE(exported(db, QStringLiteral("liquidations"), from, to), QStringLiteral("ts,side,price,qty,seq,in_exchange_feed\n"));
        // position-tiers for the family, fetched with the backfill: contracts x ctVal (1 LINK)
        // = coins, valued at the newest 1m close; OKX gives no maintenance amount, so cum is
        // derived (continuous margin at each boundary).
        QCOMPARE(rest.countPath(QStringLiteral("/api/v5/public/position-tiers")), 1);
        const QVector<MarginTier> tiers = MarketStore::openReadOnly(db).reader()->marginTiers({QStringLiteral("OKX"), QStringLiteral("LINK-USDT-SWAP")});
        QCOMPARE(tiers.size(), 4);
        double px = 0;
        for (const Candle &c : std::as_const(d.candles))
            if (c.ts < now - minute)
                px = c.close; // the newest bar the backfill fetched
        const double caps[] = {50'000, 100'000, 200'000, 400'000}, mmrs[] = {0.004, 0.006, 0.01, 0.02};
        double cum = 0;
        for (int k = 0; k < 4; ++k) {
            QCOMPARE(tiers[k].tier, k + 1);
            QCOMPARE(tiers[k].referencePrice, px);
            QCOMPARE(tiers[k].floor, k ? caps[k - 1] * px : 0.0);
            QCOMPARE(tiers[k].cap, caps[k] * px);
            QCOMPARE(tiers[k].mmr, mmrs[k]);
            if (k)
                cum += tiers[k].floor * (mmrs[k] - mmrs[k - 1]);
            QVERIFY(std::abs(tiers[k].cum - cum) < 1e-6 * std::max(1.0, cum));
        }
        QCOMPARE(tiers[0].maxLeverage, 125.0);
        QVERIFY2(r.out.contains(QLatin1String("margin tiers: OKX tiers of LINK-USDT-SWAP fetched 2023-02-06 00:0")), qPrintable(r.out));
    }

    void badOptionsAreOneLine()
    {
        const QString db = m_dir.filePath(QStringLiteral("z.db"));
        auto r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("okx"),
                      QStringLiteral("--source-option"), QStringLiteral("rest_ulr=http://127.0.0.1:9")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("unknown source option 'rest_ulr' for --source okx")), qPrintable(r.err));
        r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("okx"),
                 QStringLiteral("--instrument"), QStringLiteral("BYBIT:BTCUSDT")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("BYBIT:BTCUSDT is not a OKX instrument")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestOkxBackfill)
#include "tst_okxbackfill.moc"
