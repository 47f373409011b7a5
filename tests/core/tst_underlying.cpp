#include "domain/underlying.h"

#include <QTest>

class TestUnderlying : public QObject
{
    Q_OBJECT

private slots:
    void venueSpellings_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("quote");
        QTest::newRow("binance") << "BINANCE:BTCUSDT" << "BTC" << "USDT";
        QTest::newRow("bybit") << "BYBIT:ETHUSDT" << "ETH" << "USDT";
        QTest::newRow("okx swap") << "OKX:BTC-USDT-SWAP" << "BTC" << "USDT";
        QTest::newRow("okx inverse") << "OKX:BTC-USD-SWAP" << "BTC" << "USD";
        QTest::newRow("okx dated") << "OKX:BTC-USD-220527" << "BTC" << "USD";
        QTest::newRow("coinbase") << "COINBASE:BTC-USD" << "BTC" << "USD";
        QTest::newRow("binance spot fdusd") << "BINANCE_SPOT:BTCFDUSD" << "BTC" << "FDUSD";
        QTest::newRow("spot usdc") << "BINANCE_SPOT:SOLUSDC" << "SOL" << "USDC";
        QTest::newRow("delivery") << "BINANCE:BTCUSDT_230331" << "BTC" << "USDT";
        QTest::newRow("multiplied") << "BYBIT:1000PEPEUSDT" << "1000PEPE" << "USDT";
        QTest::newRow("simulator") << "SIM:BTCUSDT" << "BTC" << "USDT";
        QTest::newRow("ratio pair") << "BINANCE_SPOT:ETHBTC" << "ETH" << "BTC";
        QTest::newRow("unknown quote") << "BINANCE:BTCXYZ" << "" << "";
        QTest::newRow("dated without quote") << "BITMEX:XBT-26JUL24" << "" << "";
        QTest::newRow("quote alone") << "BINANCE:USDT" << "" << "";
    }
    void venueSpellings()
    {
        QFETCH(QString, key);
        QFETCH(QString, base);
        QFETCH(QString, quote);
        const Instrument i = Instrument::parse(key, QString());
        QVERIFY(i.isValid());
        QCOMPARE(Underlying::of(i), base);
        QCOMPARE(Underlying::quoteOf(i), quote);
    }
};

QTEST_GUILESS_MAIN(TestUnderlying)
#include "tst_underlying.moc"
