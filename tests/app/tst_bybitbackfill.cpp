#include "fakebybit.h"
#include "testutil.h"
#include "testzip.h"

#include "storage/marketstore.h"
#include "storage/storereader.h"

#include <QProcess>

// perpscope backfill --source bybit, headless, against a loopback Bybit (REST in Bybit's
// formats, lists newest first, open interest by cursor), then export csv of every kind a
// backfill fetches: the files must hold exactly what the server served.
class TestBybitBackfill : public QObject
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
                            QStringLiteral("--instrument"), QStringLiteral("BYBIT:LINKUSDT"), QStringLiteral("--from"), QString::number(from),
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
        FakeBybit::Dataset d;
        for (const QByteArray &line : csv.split('\n')) {
            const auto f = line.trimmed().split(',');
            if (f.size() == 12 && std::isdigit(uchar(f[0][0])))
                d.candles << Candle{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(),
                                    f[7].toDouble(), 0};
        }
        for (const Candle &c : std::as_const(d.candles))
            d.mark << Candle{c.ts, c.open * 0.9998, c.high * 0.9998, c.low * 0.9998, c.close * 0.9998, 0, 0, 0};
        // Hand-written (documented formats): hourly funding (a symbol Bybit settles every hour),
        // 5-minute open interest.
        d.fundingIntervalMinutes = 60;
        int k = 0;
        for (qint64 t = feb1; t < feb1 + 7 * 86'400'000LL; t += 3'600'000, ++k)
            d.funding << FakeBybit::Funding{t, QByteArray::number((k % 7 - 3) * 0.00001, 'f', 8)};
        for (qint64 t = feb1, j = 0; t < feb1 + 7 * 86'400'000LL; t += 300'000, ++j)
            d.openInterest << FakeBybit::OpenInterest{t, 2'000'000 + j * 3.25};
        const qint64 now = feb1 + 5 * 86'400'000LL + 30'000; // 2023-02-06 00:00:30
        FakeBybit::RestServer rest(now);
        rest.data[QStringLiteral("LINKUSDT")] = d;
        const QString db = m_dir.filePath(QStringLiteral("y.db"));
        const auto r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("bybit"),
                            QStringLiteral("--instrument"), QStringLiteral("LINKUSDT"), QStringLiteral("--days"), QStringLiteral("2"),
                            QStringLiteral("--source-option"), QStringLiteral("rest_url=") + rest.url(), QStringLiteral("--source-option"),
                            QStringLiteral("ws_url=ws://127.0.0.1:9")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("backfilled BYBIT:LINKUSDT: 2880 1m candles from 2023-02-04T00:00:00Z to 2023-02-06T00:00:00Z, 48 funding, 576 OI")),
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
                             .arg(QString::fromLatin1(FakeBybit::num(c.open)), QString::fromLatin1(FakeBybit::num(c.high)),
                                  QString::fromLatin1(FakeBybit::num(c.low)), QString::fromLatin1(FakeBybit::num(c.close)),
                                  QString::fromLatin1(FakeBybit::num(c.volume)), QString::fromLatin1(FakeBybit::num(c.quoteVolume)), taker);
            return s;
        };
        QCOMPARE(exported(db, QStringLiteral("candles"), from, to), bars(d.candles, QString()));
        QCOMPARE(exported(db, QStringLiteral("mark"), from, to), bars(d.mark, QStringLiteral("0")));
        QString funding = QStringLiteral("ts,rate,interval_hours\n");
        for (const auto &f : std::as_const(d.funding))
            if (f.time >= from && f.time < to)
                funding += QStringLiteral("%1,%2,1\n").arg(f.time).arg(QString::fromLatin1(FakeBybit::num(f.rate.toDouble())));
        QCOMPARE(exported(db, QStringLiteral("funding"), from, to), funding);
        QString oi = QStringLiteral("ts,open_interest,open_interest_usd\n");
        for (const auto &o : std::as_const(d.openInterest))
            if (o.time >= from && o.time < to)
                oi += QStringLiteral("%1,%2,%3\n")
                          .arg(o.time)
                          .arg(QString::fromLatin1(FakeBybit::num(o.single)),
                               QString::fromLatin1(FakeBybit::num(o.single * d.candles[(o.time - feb1) / minute].open)));
        QCOMPARE(exported(db, QStringLiteral("oi"), from, to), oi);
        // No liquidation history exists on Bybit: a backfill has none, and covers none.
        QCOMPARE(exported(db, QStringLiteral("liquidations"), from, to), QStringLiteral("ts,side,price,qty,seq,in_exchange_feed\n"));
        // The public risk-limit tiers, fetched with the backfill: USD bounds, floors = the cap
        // before, Bybit's mmDeduction where given and derived (continuous margin) where "".
        QCOMPARE(rest.countPath(QStringLiteral("/v5/market/risk-limit")), 1);
        const QVector<MarginTier> tiers = MarketStore::openReadOnly(db).reader()->marginTiers({QStringLiteral("BYBIT"), QStringLiteral("LINKUSDT")});
        QCOMPARE(tiers.size(), 4);
        const double caps[] = {200'000, 400'000, 600'000, 800'000}, mmrs[] = {0.01, 0.015, 0.02, 0.025}, cums[] = {0, 1000, 3000, 6000};
        for (int k = 0; k < 4; ++k) {
            QCOMPARE(tiers[k].tier, k + 1);
            QCOMPARE(tiers[k].floor, k ? caps[k - 1] : 0.0);
            QCOMPARE(tiers[k].cap, caps[k]);
            QCOMPARE(tiers[k].mmr, mmrs[k]);
            QCOMPARE(tiers[k].cum, cums[k]);
            QCOMPARE(tiers[k].referencePrice, 0.0);
            QVERIFY(tiers[k].fetchedMs >= now && tiers[k].fetchedMs < now + 120'000); // the server's clock
        }
        QCOMPARE(tiers[0].maxLeverage, 50.0);
        QVERIFY2(r.out.contains(QLatin1String("margin tiers: BYBIT tiers of LINKUSDT fetched 2023-02-06 00:0")), qPrintable(r.out));
    }

    void refusedTiersLeaveTheBackfillAndSayWhy()
    {
        // An error envelope for risk-limit: the backfill completes, no tiers are stored (the
        // heatmap keeps Binance's default) and the meta table says why.
        FakeBybit::Dataset d;
        const qint64 now = feb1 + 86'400'000LL + 30'000;
        for (qint64 t = now - 3 * 3'600'000LL; t < now - 30'000; t += minute)
            d.candles << Candle{Timeframes::floor(Timeframe::M1, t), 7, 7.1, 6.9, 7, 10, 70, 0};
        d.mark = d.candles;
        FakeBybit::RestServer rest(now);
        rest.data[QStringLiteral("LINKUSDT")] = d;
        FakeBybit::Fault refusal;
        refusal.path = QStringLiteral("/v5/market/risk-limit");
        refusal.body = FakeBybit::envelope(10001, "params error: symbol invalid", "{}", now);
        rest.faults << refusal;
        const QString db = m_dir.filePath(QStringLiteral("refused.db"));
        const auto r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("bybit"),
                            QStringLiteral("--instrument"), QStringLiteral("LINKUSDT"), QStringLiteral("--days"), QStringLiteral("0.1"),
                            QStringLiteral("--source-option"), QStringLiteral("rest_url=") + rest.url(), QStringLiteral("--source-option"),
                            QStringLiteral("ws_url=ws://127.0.0.1:9")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(rest.countPath(QStringLiteral("/v5/market/risk-limit")), 1); // refused: not asked again
        const auto reader = MarketStore::openReadOnly(db).reader();
        QVERIFY(reader->marginTiers({QStringLiteral("BYBIT"), QStringLiteral("LINKUSDT")}).isEmpty());
        const QString note = reader->meta(QStringLiteral("margin_tiers_note.BYBIT:LINKUSDT"));
        QVERIFY2(note.contains(QLatin1String("params error: symbol invalid")) && note.contains(QLatin1String("Binance BTCUSDT's default")),
                 qPrintable(note));
        QVERIFY2(!r.out.contains(QLatin1String("margin tiers:")), qPrintable(r.out));
    }

    void badOptionsAreOneLine()
    {
        const QString db = m_dir.filePath(QStringLiteral("z.db"));
        auto r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("bybit"),
                      QStringLiteral("--source-option"), QStringLiteral("rest_ulr=http://127.0.0.1:9")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("unknown source option 'rest_ulr' for --source bybit")), qPrintable(r.err));
        r = run({QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("bybit"),
                 QStringLiteral("--instrument"), QStringLiteral("BINANCE:BTCUSDT")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QLatin1String("BINANCE:BTCUSDT is not a BYBIT instrument")), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestBybitBackfill)
#include "tst_bybitbackfill.moc"
