#include "aggregatefixture.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

// `perpscope analyze --instrument ALL:BTC` (the real binary) over three venues: the JSON holds
// the per-venue breakdown whose figures add up to the aggregate's, and a member without open
// interest makes the sum unknown (null) with the venue named.
class TestAnalyzeAggregate : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_db;

    static QJsonObject analyze(const QString &db, const QString &from, const QString &to, bool json = true)
    {
        QStringList args{QStringLiteral("analyze"), QStringLiteral("--db"), db, QStringLiteral("--instrument"), QStringLiteral("ALL:BTC"),
                         QStringLiteral("--from"), from, QStringLiteral("--to"), to};
        if (json)
            args << QStringLiteral("--json");
        const auto r = TestUtil::runPerpscope(args);
        if (r.exitCode != 0)
            qWarning().noquote() << r.err;
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

private slots:
    void initTestCase()
    {
        m_db = m_dir.filePath(QStringLiteral("all.db"));
        const MarketStore store = MarketStore::open(m_db);
        AggregateFixture::Options o;
        o.okxOiStopsEarly = 120;
        AggregateFixture::write(*store.writer(), o);
    }

    void jsonBreaksDownByVenue()
    {
        const QJsonObject o = analyze(m_db, QStringLiteral("2026-01-01T01:00:00Z"), QStringLiteral("2026-01-01T20:00:00Z"));
        QCOMPARE(o.value(QStringLiteral("instrument")).toString(), QStringLiteral("ALL:BTC"));
        QCOMPARE(o.value(QStringLiteral("price_reference")).toString(), QStringLiteral("BINANCE:BTCUSDT"));
        const QJsonArray venues = o.value(QStringLiteral("venues")).toArray();
        QCOMPARE(venues.size(), 3);
        QStringList keys;
        double oiStart = 0, longLiq = 0;
        for (const QJsonValue &v : venues) {
            keys << v[QStringLiteral("instrument")].toString();
            oiStart += v[QStringLiteral("oi_start_usd")].toDouble();
            longLiq += v[QStringLiteral("long_liq_usd")].toDouble();
            QCOMPARE(v[QStringLiteral("missing")].toArray().size(), 0);
        }
        QCOMPARE(keys, (QStringList{QStringLiteral("BINANCE:BTCUSDT"), QStringLiteral("BYBIT:BTCUSDT"), QStringLiteral("OKX:BTC-USDT-SWAP")}));
        QVERIFY(qAbs(o.value(QStringLiteral("oi_start_usd")).toDouble() - oiStart) < 1e-6 * oiStart);
        QVERIFY(qAbs(o.value(QStringLiteral("long_liq_usd")).toDouble() - longLiq) < 1e-6 * longLiq);
        QCOMPARE(venues[2][QStringLiteral("funding_interval_h")].toInt(), 4);
        // Binance and OKX are sampled: the union is as complete as the weakest.
        QCOMPARE(o.value(QStringLiteral("coverage"))[QStringLiteral("liquidations")][QStringLiteral("quality")].toString(), QStringLiteral("sampled"));
        QCOMPARE(venues[1][QStringLiteral("coverage")][QStringLiteral("liquidations")][QStringLiteral("quality")].toString(), QStringLiteral("complete"));
    }

    void aMissingVenueIsNamedNotSummedAsZero()
    {
        const QJsonObject o = analyze(m_db, QStringLiteral("2026-01-01T20:00:00Z"), QStringLiteral("2026-01-02T00:00:00Z"));
        QVERIFY(o.value(QStringLiteral("oi_end_usd")).isNull());
        const QJsonArray venues = o.value(QStringLiteral("venues")).toArray();
        QCOMPARE(venues.size(), 3);
        QVERIFY(venues[0][QStringLiteral("oi_end_usd")].isDouble());
        QCOMPARE(venues[2][QStringLiteral("missing")].toArray(), QJsonArray{QStringLiteral("oi")});
        QVERIFY(o.value(QStringLiteral("reasons")).toVariant().toStringList().join(QLatin1Char('\n')).contains(QStringLiteral("partial: OKX:BTC-USDT-SWAP has no oi")));
    }

    void textNamesEveryVenue()
    {
        const auto r = TestUtil::runPerpscope({QStringLiteral("analyze"), QStringLiteral("--db"), m_db, QStringLiteral("--instrument"),
                                               QStringLiteral("ALL:BTC"), QStringLiteral("--from"), QStringLiteral("2026-01-01T01:00:00Z"),
                                               QStringLiteral("--to"), QStringLiteral("2026-01-01T20:00:00Z")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("price from\\s+BINANCE:BTCUSDT"))), qPrintable(r.out));
        QVERIFY(r.out.contains(QStringLiteral("OKX:BTC-USDT-SWAP")));
        QVERIFY(r.out.contains(QStringLiteral("settles every 4 h")));
        // An underlying without venues is refused, saying why.
        const auto none = TestUtil::runPerpscope({QStringLiteral("analyze"), QStringLiteral("--db"), m_db, QStringLiteral("--instrument"),
                                                  QStringLiteral("ALL:DOGE"), QStringLiteral("--from"), QStringLiteral("2026-01-01"),
                                                  QStringLiteral("--to"), QStringLiteral("2026-01-02")});
        QVERIFY(none.exitCode != 0);
        QVERIFY2(none.err.contains(QStringLiteral("no venue perpetual of DOGE")), qPrintable(none.err));
    }

    void aStoredSetIsWhatEveryCommandReads()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("set.db"));
        {
            const MarketStore store = MarketStore::open(db);
            AggregateFixture::Options o;
            o.minutes = 180;
            AggregateFixture::write(*store.writer(), o);
        }
        const auto list = [&] {
            const auto r = TestUtil::runPerpscope({QStringLiteral("aggregate"), QStringLiteral("--db"), db, QStringLiteral("--json")});
            return QJsonDocument::fromJson(r.out.toUtf8()).object().value(QStringLiteral("aggregates")).toArray();
        };
        QCOMPARE(list().size(), 1);
        QCOMPARE(list()[0][QStringLiteral("defined")].toString(), QStringLiteral("default"));
        QCOMPARE(list()[0][QStringLiteral("members")].toArray().size(), 3);
        auto r = TestUtil::runPerpscope({QStringLiteral("aggregate"), QStringLiteral("--db"), db, QStringLiteral("--define"), QStringLiteral("ALL:BTC"),
                                         QStringLiteral("--members"), QStringLiteral("BYBIT:BTCUSDT,OKX:BTC-USDT-SWAP")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(list()[0][QStringLiteral("price_reference")].toString(), QStringLiteral("BYBIT:BTCUSDT"));
        const QJsonObject o = analyze(db, QStringLiteral("2026-01-01T00:30:00Z"), QStringLiteral("2026-01-01T02:30:00Z"));
        QCOMPARE(o.value(QStringLiteral("price_reference")).toString(), QStringLiteral("BYBIT:BTCUSDT"));
        QCOMPARE(o.value(QStringLiteral("venues")).toArray().size(), 2);
        // Refused, saying why: another underlying, a member the store lacks.
        r = TestUtil::runPerpscope({QStringLiteral("aggregate"), QStringLiteral("--db"), db, QStringLiteral("--define"), QStringLiteral("ALL:BTC"),
                                    QStringLiteral("--members"), QStringLiteral("BINANCE:ETHUSDT")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("BINANCE:ETHUSDT has the underlying ETH, not BTC")), qPrintable(r.err));
        r = TestUtil::runPerpscope({QStringLiteral("aggregate"), QStringLiteral("--db"), db, QStringLiteral("--define"), QStringLiteral("ALL:BTC"),
                                    QStringLiteral("--members"), QStringLiteral("BYBIT:BTCUSDT,OKX:BTC-USD-SWAP")});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(QStringLiteral("OKX:BTC-USD-SWAP is not in database")), qPrintable(r.err));
        QCOMPARE(list()[0][QStringLiteral("members")].toArray().size(), 2); // the stored set stands
        r = TestUtil::runPerpscope({QStringLiteral("aggregate"), QStringLiteral("--db"), db, QStringLiteral("--clear"), QStringLiteral("ALL:BTC")});
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(list()[0][QStringLiteral("defined")].toString(), QStringLiteral("default"));
    }
};

QTEST_GUILESS_MAIN(TestAnalyzeAggregate)
#include "tst_analyzeaggregate.moc"
