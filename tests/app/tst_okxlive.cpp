#include "chartpane.h"
#include "fakeokx.h"
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

// The GUI on the OKX source, live from the loopback OKX: the source picker lists it (from the
// registry), the window backfills, opens both sockets (candles on /ws/v5/business, the rest on
// /ws/v5/public), takes the recorded public messages and hand-written pushes, and the
// Liquidations pane says its coverage is sampled.
class TestOkxLive : public QObject
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

    void showsOkxLive()
    {
        constexpr qint64 bar = 1'675'600'200'000; // 2023-02-05 12:30 UTC
        FakeOkx::Dataset btc;
        std::mt19937_64 rng(3);
        btc.candles = TestUtil::randomBars(rng, bar - 120 * minute, 120, 23'000);
        for (Candle &c : btc.candles)
            c.takerBuyVolume = 0;
        btc.mark = btc.candles;
        QFile instruments(TestUtil::dataFile(QStringLiteral("okx/public-instruments-SWAP-2022-05-13.json")));
        QVERIFY(instruments.open(QIODevice::ReadOnly));
        FakeOkx::RestServer rest(bar + 17'000, instruments.readAll());
        rest.data[QStringLiteral("BTC-USDT-SWAP")] = btc;
        FakeOkx::StreamServer ws;

        const QString db = m_dir.filePath(QStringLiteral("okx.db"));
        MarketStore::open(db);
        MainWindow::Options o;
        o.store = db;
        o.source = QStringLiteral("okx");
        o.instrument = QStringLiteral("BTC-USDT-SWAP");
        o.persistSettings = false;
        o.sourceOptions = {{QStringLiteral("rest_url"), rest.url()},           {QStringLiteral("ws_url"), ws.url()},
                           {QStringLiteral("backoff_ms"), QStringLiteral("100")}, {QStringLiteral("reconnect_ms"), QStringLiteral("100")},
                           {QStringLiteral("batch_ms"), QStringLiteral("50")},    {QStringLiteral("heartbeat_ms"), QStringLiteral("500")}};
        MainWindow window(o);
        window.resize(1600, 1000);
        window.show();
        auto *picker = window.findChild<QComboBox *>(QStringLiteral("sourceBox"));
        QVERIFY(picker);
        QVERIFY(picker->findData(QStringLiteral("okx")) >= 0);
        QCOMPARE(picker->itemText(picker->findData(QStringLiteral("okx"))), QStringLiteral("OKX perpetual swap (live)"));
        QCOMPARE(window.sourceController()->instruments(), (QList<Instrument>{{QStringLiteral("OKX"), QStringLiteral("BTC-USDT-SWAP")}}));

        QTRY_VERIFY_WITH_TIMEOUT(ws.subscribed(QStringLiteral("/ws/v5/business")) == 1 && ws.subscribed(QStringLiteral("/ws/v5/public")) == 1, 30'000);
        QFile f(TestUtil::dataFile(QStringLiteral("okx/v5-public-capture-2022-05-13.jsonl")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        for (const QByteArray &line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                ws.broadcast(QStringLiteral("/ws/v5/public"), line.trimmed());
        const QString id = QStringLiteral("BTC-USDT-SWAP");
        const Candle closed{bar, 23010.5, 23020, 23001.1, 23018.2, 12.34, 283999.1, 0};
        ws.push(FakeOkx::StreamServer::candle(id, {{closed, true}}, 0.01));
        ws.push(FakeOkx::StreamServer::markPrice(id, 23015.3, bar + 61'000));
        ws.push(FakeOkx::StreamServer::liquidation(id, {{"sell", "net", 22990.5, 250, bar + 70'123}}));
        const Instrument i{QStringLiteral("OKX"), id};
        auto reader = MarketStore::openReadOnly(db).reader();
        QTRY_COMPARE_WITH_TIMEOUT(reader->liquidations(i, {bar, bar + 5 * minute}).size(), 1, 15'000);
        QCOMPARE(reader->liquidations(i, {bar, bar + 5 * minute}).front().qty, 2.5); // 250 contracts x 0.01 BTC
        QTRY_COMPARE_WITH_TIMEOUT(reader->candles(i, Timeframe::M1, {bar, bar + minute}).size(), 1, 15'000);
        QCOMPARE(reader->candles(i, Timeframe::M1, {bar, bar + minute}).front(), closed);

        ChartPane *liq = window.pane(QStringLiteral("dock.liquidations"));
        QVERIFY(liq);
        QTRY_VERIFY2_WITH_TIMEOUT(liq->header()->text().contains(QLatin1String("coverage: sampled")), qPrintable(liq->header()->text()), 15'000);
        // The tape says how OKX samples, not Binance's one print per second.
        auto *note = window.findChild<QLabel *>(QStringLiteral("tapeCoverageNote"));
        QVERIFY(note);
        QTRY_VERIFY2_WITH_TIMEOUT(note->text().contains(QLatin1String("OKX liquidation-orders stream: a sample")), qPrintable(note->text()), 15'000);
        QVERIFY2(!note->text().contains(QLatin1String("per second")) && !liq->header()->text().contains(QLatin1String("1 print/s")),
                 qPrintable(note->text() + QLatin1Char('|') + liq->header()->text()));
        // The backfilled history had no liquidation stream listening: its sums are unknown,
        // not $0 (only the stretch since the socket opened is covered).
        const QString header = liq->header()->text();
        QVERIFY2(header.contains(QLatin1String("unknown (not covered)")) || header.contains(QLatin1String("covered)")), qPrintable(header));
        liq->grab().save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("okxliquidations.png")));
        QTRY_VERIFY2_WITH_TIMEOUT(ws.pings() >= 2, "no text ping sent", 5000);
        window.grab().save(QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("okxlive.png")));
    }
};

QTEST_MAIN(TestOkxLive)
#include "tst_okxlive.moc"
