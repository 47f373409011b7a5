#include "chartpane.h"
#include "fakebybit.h"
#include "mainwindow.h"
#include "readoutbar.h"
#include "sourcecontroller.h"
#include "sources/datathread.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>

// The GUI on the Bybit source, live from the loopback Bybit: the source picker lists it
// (from the registry), the window backfills, subscribes, replays the recorded socket
// messages, and the Liquidations pane says its coverage is complete.
class TestBybitLive : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    static constexpr qint64 minute = 60'000;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(QStringLiteral("config"))));
    }

    void showsBybitLive()
    {
        constexpr qint64 bar = 1'786'310'760'000;
        FakeBybit::Dataset btc;
        std::mt19937_64 rng(3);
        btc.candles = TestUtil::randomBars(rng, bar - 120 * minute, 120, 65'000);
        for (Candle &c : btc.candles)
            c.takerBuyVolume = 0;
        btc.mark = btc.candles;
        FakeBybit::RestServer rest(1'786'310'817'000);
        rest.data[QStringLiteral("BTCUSDT")] = btc;
        FakeBybit::StreamServer ws;

        const QString db = m_dir.filePath(QStringLiteral("bybit.db"));
        MarketStore::open(db);
        MainWindow::Options o;
        o.store = db;
        o.source = QStringLiteral("bybit");
        o.instrument = QStringLiteral("BTCUSDT");
        o.persistSettings = false;
        o.sourceOptions = {{QStringLiteral("rest_url"), rest.url()},           {QStringLiteral("ws_url"), ws.url()},
                           {QStringLiteral("backoff_ms"), QStringLiteral("100")}, {QStringLiteral("reconnect_ms"), QStringLiteral("100")},
                           {QStringLiteral("batch_ms"), QStringLiteral("50")},    {QStringLiteral("heartbeat_ms"), QStringLiteral("500")}};
        MainWindow window(o);
        window.resize(1600, 1000);
        window.show();
        auto *picker = window.findChild<QComboBox *>(QStringLiteral("sourceBox"));
        QVERIFY(picker);
        QVERIFY(picker->findData(QStringLiteral("bybit")) >= 0);
        QCOMPARE(picker->itemText(picker->findData(QStringLiteral("bybit"))), QStringLiteral("Bybit USDT perpetual (live)"));
        QCOMPARE(window.sourceController()->instruments(), (QList<Instrument>{{QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")}}));

        QTRY_VERIFY_WITH_TIMEOUT(ws.subscribedConnections() == 1, 30'000);
        QFile f(TestUtil::dataFile(QStringLiteral("bybit/v5-public-linear-capture-2026-08-09.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray &line : f.readAll().split('\n'))
            if (line.contains("\"topic\""))
                ws.push(line.trimmed());
        ws.push(FakeBybit::StreamServer::liquidation(QStringLiteral("BTCUSDT"), bar + 70'123, "Buy", 64990.5, 2.5));
        const Instrument i{QStringLiteral("BYBIT"), QStringLiteral("BTCUSDT")};
        auto reader = MarketStore::openReadOnly(db).reader();
        QTRY_COMPARE_WITH_TIMEOUT(reader->liquidations(i, {bar, bar + 5 * minute}).size(), 1, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(reader->candles(i, Timeframe::M1, {bar, bar + minute}).size(), 1, 15'000);
        QCOMPARE(reader->candles(i, Timeframe::M1, {bar, bar + minute}).front().close, 65114.2); // the recorded close

        ChartPane *liq = window.pane(QStringLiteral("dock.liquidations"));
        QVERIFY(liq);
        QTRY_VERIFY2_WITH_TIMEOUT(liq->header()->text().contains(QLatin1String("coverage: complete")), qPrintable(liq->header()->text()), 15'000);
        auto *note = window.findChild<QLabel *>(QStringLiteral("tapeCoverageNote"));
        QVERIFY(note);
        QTRY_VERIFY2_WITH_TIMEOUT(note->text().startsWith(QLatin1String("Complete feed")), qPrintable(note->text()), 15'000);
        QTRY_VERIFY2_WITH_TIMEOUT(ws.pings() >= 1, "no op:ping sent", 5000);
        window.grab().save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("bybitlive.png")));
    }
};

QTEST_MAIN(TestBybitLive)
#include "tst_bybitlive.moc"
