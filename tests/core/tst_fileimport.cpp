#include "domain/numbers.h"
#include "sources/datathread.h"
#include "sources/import/fileimport.h"
#include "sources/import/fileimportsource.h"
#include "storage/csvexporter.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "importfixtures.h"
#include "testzip.h"

using namespace ImportFixtures;

#include <QBuffer>

#include <map>

// The importers on the real Binance kline dump (and hand-made files of the other kinds in
// their documented formats): values round-trip exactly, tiers equal an aggregation done
// here, re-import changes nothing, and bad input is reported precisely.
class TestFileImport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument m_link{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
    int m_dbCount = 0;

    static QString zipDir() { return TestUtil::dataFile(QStringLiteral("binance/futures")); }
    static QString zipFile() { return ImportFixtures::zipFile(); }
    static QString dayFile() { return ImportFixtures::dayFile(); }

    QString freshDb()
    {
        const QString path = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_dbCount));
        MarketStore::open(path);
        return path;
    }

    QString write(const QString &relative, const QByteArray &content) { return ImportFixtures::write(m_dir, relative, content); }

    static QVector<Candle> monthBars()
    {
        return parseBars(TestZip::extractFirst(zipFile()));
    }

    // The source rows, parsed here without the importer's code (QByteArray::toDouble).
    static QVector<Candle> sourceBars(const QString &csv) { return parseBars(readFile(csv)); }

    static QVector<Candle> parseBars(const QByteArray &content)
    {
        QVector<Candle> out;
        for (const QByteArray &raw : content.split('\n')) {
            const QByteArray line = raw.trimmed();
            if (line.isEmpty() || !std::isdigit(uchar(line[0])))
                continue;
            const auto f = line.split(',');
            out.push_back({f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(),
                           f[7].toDouble(), f[9].toDouble()});
        }
        return out;
    }

private slots:
    void monthlyZipRoundTripsExactly()
    {
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {zipDir()});
        QVERIFY2(s.failedFiles() == 0, qPrintable(s.text()));
        QCOMPARE(s.rows(DataKind::Candles), 40'320);
        QCOMPARE(s.rejected(), 0);
        QCOMPARE(s.span(), (TimeRange{1'675'209'600'000, 1'677'628'800'000}));
        QVERIFY2(hasMessage(s, QStringLiteral("sha256 matches")), qPrintable(s.text()));
        QCOMPARE(s.files().front().format, QStringLiteral("Binance klines"));

        // export csv equals the source rows, every value bit for bit.
        const QVector<Candle> expected = monthBars();
        QCOMPARE(expected.size(), 40'320);
        const QList<QByteArray> exported = exportCsv(db, QStringLiteral("candles"), m_link).trimmed().split('\n');
        QCOMPARE(exported.size(), expected.size() + 1);
        QCOMPARE(exported.front(), QByteArray("ts,open,high,low,close,volume,quote_volume,taker_buy_volume"));
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const auto f = exported[i + 1].split(',');
            const Candle &c = expected[i];
            const Candle got{f[0].toLongLong(), f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(),
                             f[5].toDouble(), f[6].toDouble(), f[7].toDouble()};
            if (!(got == c))
                QFAIL(qPrintable(QStringLiteral("row %1 differs: %2").arg(i + 1).arg(QString::fromLatin1(exported[i + 1]))));
        }
    }

    void tiersEqualAnIndependentAggregation()
    {
        const QString db = freshDb();
        // Small batches: tier buckets straddle batch edges and must still come out exact.
        importInto(db, {zipFile()}, {}, 7'000);
        const QVector<Candle> bars = monthBars();
        auto reader = MarketStore::openExisting(db).reader();
        for (Timeframe tf : Timeframes::all) {
            const qint64 step = Timeframes::ms(tf);
            std::map<qint64, Candle> expected;
            for (const Candle &c : bars) {
                const qint64 bucket = c.ts / step * step;
                auto it = expected.find(bucket);
                if (it == expected.end()) {
                    expected[bucket] = {bucket, c.open, c.high, c.low, c.close, c.volume, c.quoteVolume, c.takerBuyVolume};
                    continue;
                }
                Candle &e = it->second;
                e.high = std::max(e.high, c.high);
                e.low = std::min(e.low, c.low);
                e.close = c.close;
                e.volume += c.volume;
                e.quoteVolume += c.quoteVolume;
                e.takerBuyVolume += c.takerBuyVolume;
            }
            const QVector<Candle> stored = reader->candles(m_link, tf, {0, 4'000'000'000'000});
            QCOMPARE(stored.size(), qsizetype(expected.size()));
            qsizetype i = 0;
            for (const auto &[ts, e] : expected) {
                if (!(stored[i] == e))
                    QFAIL(qPrintable(QStringLiteral("%1 bar at %2 differs").arg(Timeframes::name(tf)).arg(ts)));
                ++i;
            }
        }
    }

    void reimportAndOverlappingDailyFileChangeNothing()
    {
        const QString db = freshDb();
        importInto(db, {zipFile()});
        const QByteArray before = dumpAll(db, m_link);
        const ImportSummary again = importInto(db, {zipFile()});
        QCOMPARE(again.rows(DataKind::Candles), 40'320);
        QCOMPARE(dumpAll(db, m_link), before);
        // The daily file of the first day overlaps the month: it merges cleanly.
        importInto(db, {dayFile()});
        QCOMPARE(dumpAll(db, m_link), before);
    }

    void headerMicrosecondsAndLineEndingVariantsParse_data()
    {
        QTest::addColumn<bool>("header");
        QTest::addColumn<bool>("micro");
        QTest::addColumn<bool>("crlf");
        QTest::addColumn<bool>("zipped");
        QTest::newRow("no header") << false << false << false << false;
        QTest::newRow("microseconds") << true << true << false << false;
        QTest::newRow("no header, microseconds, CRLF") << false << true << true << false;
        QTest::newRow("zipped, no header") << false << false << false << true;
    }
    void headerMicrosecondsAndLineEndingVariantsParse()
    {
        QFETCH(bool, header);
        QFETCH(bool, micro);
        QFETCH(bool, crlf);
        QFETCH(bool, zipped);
        QList<QByteArray> lines = readFile(dayFile()).trimmed().split('\n');
        if (!header)
            lines.removeFirst();
        for (QByteArray &line : lines) {
            if (micro && std::isdigit(uchar(line[0]))) {
                auto f = line.split(',');
                f[0] = QByteArray::number(f[0].toLongLong() * 1000);
                f[6] = QByteArray::number(f[6].toLongLong() * 1000 + 999);
                line = f.join(',');
            }
        }
        const QByteArray content = lines.join(crlf ? "\r\n" : "\n") + (crlf ? "\r\n" : "\n");
        const QString name = QStringLiteral("LINKUSDT-1m-2023-02-01.csv");
        const QString dir = QStringLiteral("variant-%1%2%3%4/").arg(header).arg(micro).arg(crlf).arg(zipped);
        const QString path = zipped ? write(dir + QStringLiteral("LINKUSDT-1m-2023-02-01.zip"), TestZip::make(name, content))
                                    : write(dir + name, content);
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        QCOMPARE(s.rows(DataKind::Candles), 1440);
        QCOMPARE(hasMessage(s, QStringLiteral("microseconds")), micro);
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->candles(m_link, Timeframe::M1, {0, 4'000'000'000'000}), sourceBars(dayFile()));
    }

    void markPriceKlinesByFolderOrFlag()
    {
        // Hand-made mark price klines in the documented layout: volumes zero, count = samples.
        QByteArray mark = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n";
        for (const Candle &c : sourceBars(dayFile()))
            mark += QByteArray::number(c.ts) + ',' + Numbers::format(c.open) + ',' + Numbers::format(c.high) + ','
                + Numbers::format(c.low) + ',' + Numbers::format(c.close) + ",0," + QByteArray::number(c.ts + 59'999) + ",0,60,0,0,0\n";
        const QString inFolder = write(QStringLiteral("dumps/futures/um/daily/markPriceKlines/LINKUSDT/1m/LINKUSDT-1m-2023-02-01.csv"), mark);
        const QString loose = write(QStringLiteral("loose/LINKUSDT-1m-2023-02-01.csv"), mark);

        QString db = freshDb();
        ImportSummary s = importInto(db, {inFolder});
        QVERIFY2(s.failedFiles() == 0, qPrintable(s.text()));
        QCOMPARE(s.rows(DataKind::MarkCandles), 1440);
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->count(m_link, DataKind::Candles), 0);
        const QVector<Candle> stored = reader->markCandles(m_link, Timeframe::M1, {0, 4'000'000'000'000});
        QCOMPARE(stored.size(), 1440);
        QCOMPARE(stored[17].close, sourceBars(dayFile())[17].close);
        QCOMPARE(stored[17].volume, 0.0);

        db = freshDb();
        s = importInto(db, {loose});
        QCOMPARE(s.failedFiles(), 1);
        QVERIFY2(s.files().front().error.contains(QLatin1String("--kind mark")), qPrintable(s.text()));
        QCOMPARE(MarketStore::openExisting(db).reader()->instruments().size(), 0); // nothing stored

        s = importInto(db, {loose}, {{}, DataKind::MarkCandles});
        QCOMPARE(s.rows(DataKind::MarkCandles), 1440);
    }

    void fundingRateSnapsToTheGrid()
    {
        // Hand-made fundingRate month (3 columns, calc_time a few ms late), 8 h then 4 h.
        QByteArray csv = "calc_time,funding_interval_hours,last_funding_rate\n";
        const qint64 feb = 1'675'209'600'000;
        QVector<FundingSample> expected;
        qint64 t = feb;
        int i = 0;
        while (t < feb + 28LL * 86'400'000) {
            const int hours = t < feb + 20LL * 86'400'000 ? 8 : 4;
            const double rate = (i % 7 - 3) * 0.0000125;
            if (i != 40) { // one settlement missing: a hole
                csv += QByteArray::number(t + 1 + i % 3) + ',' + QByteArray::number(hours) + ',' + QByteArray::number(rate, 'f', 8) + '\n';
                expected.push_back({t, QByteArray::number(rate, 'f', 8).toDouble(), hours});
            }
            t += hours * 3'600'000LL;
            ++i;
        }
        const QString path = write(QStringLiteral("funding/LINKUSDT-fundingRate-2023-02.csv"), csv);
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        const auto stored = MarketStore::openExisting(db).reader()->funding(m_link, {0, 4'000'000'000'000});
        QCOMPARE(stored, expected);
        QVERIFY2(hasMessage(s, QStringLiteral("no data from")), qPrintable(s.text()));
        // The missing settlement is a hole in the coverage too.
        const auto cov = MarketStore::openExisting(db).reader()->coverageSummary(m_link, DataKind::Funding, {feb, feb + 28LL * 86'400'000});
        QCOMPARE(cov.holes.size(), 1);
        QVERIFY(cov.holes[0].contains(expected[39].ts + 8 * 3'600'000LL));
        QCOMPARE(cov.finestResolutionMs, std::optional<qint64>(8 * 3'600'000LL));
    }

    void metricsGiveOpenInterestEveryFiveMinutes()
    {
        // Hand-made metrics day: text datetimes (UTC), some rows empty, one row missing.
        QByteArray csv = "create_time,symbol,sum_open_interest,sum_open_interest_value,count_toptrader_long_short_ratio,"
                         "sum_toptrader_long_short_ratio,count_long_short_ratio,sum_taker_long_short_vol_ratio\n";
        const qint64 day = 1'675'209'600'000;
        QVector<OpenInterestSample> expected;
        for (int i = 0; i < 288; ++i) {
            const qint64 ts = day + i * 300'000LL;
            const QByteArray when = QDateTime::fromMSecsSinceEpoch(ts, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")).toLatin1();
            if (i == 100)
                continue;
            if (i % 97 == 5) {
                csv += when + ",LINKUSDT,,,,,,\n";
                continue;
            }
            const double oi = 23'000'000 + i * 1234.5678;
            const double usd = oi * (6.9 + i * 0.001);
            csv += when + ",LINKUSDT," + QByteArray::number(oi, 'f', 8) + ',' + QByteArray::number(usd, 'g', 12).replace("e+", "E")
                + ",1.12763794,1.49445800,1.07922842,2.45605600\n";
            expected.push_back({ts, oi, QByteArray::number(usd, 'g', 12).toDouble()});
        }
        const QString path = write(QStringLiteral("metrics/LINKUSDT-metrics-2023-02-01.csv"), csv);
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        QCOMPARE(s.files().front().empty, 3);
        const auto stored = MarketStore::openExisting(db).reader()->openInterest(m_link, {0, 4'000'000'000'000});
        QCOMPARE(stored.size(), expected.size());
        QCOMPARE(stored, expected);
        QVERIFY2(hasMessage(s, QStringLiteral("no data from 2023-02-01T08:20:00Z")), qPrintable(s.text()));
        // One missing sample is no hole in the coverage (samples stand for a few intervals).
        const auto cov = MarketStore::openExisting(db).reader()->coverageSummary(m_link, DataKind::OpenInterest, {day, day + 86'400'000});
        QVERIFY(cov.isFull());
        QCOMPARE(cov.finestResolutionMs, std::optional<qint64>(300'000));
    }

    void aggTradesBecomeOneMinuteCandles_data()
    {
        QTest::addColumn<bool>("header");
        QTest::addColumn<bool>("micro");
        QTest::addColumn<bool>("zipped");
        QTest::newRow("header, ms") << true << false << false;
        QTest::newRow("no header, ms, zipped") << false << false << true;
        QTest::newRow("header, µs") << true << true << false;
    }
    void aggTradesBecomeOneMinuteCandles()
    {
        QFETCH(bool, header);
        QFETCH(bool, micro);
        QFETCH(bool, zipped);
        // Hand-made aggTrades across a day boundary (so a monthly file), with a repeated block
        // (as in BTCUSDT 2022-09).
        std::mt19937_64 rng(5);
        std::uniform_real_distribution<double> u(0, 1);
        QList<QByteArray> rows;
        std::map<qint64, Candle> expected;
        const qint64 start = 1'675'295'700'000; // 2023-02-01 23:55
        qint64 ts = start;
        double price = 6.95;
        for (qint64 id = 1'000'000; id < 1'004'000; ++id) {
            ts += qint64(u(rng) * 300);
            price = std::round((price + (u(rng) - 0.5) * 0.004) * 1000) / 1000;
            const double qty = std::round(u(rng) * 2000 * 100) / 100 + 0.01;
            const bool buyerMaker = u(rng) < 0.45;
            const QByteArray p = QByteArray::number(price, 'f', 3), q = QByteArray::number(qty, 'f', 2);
            rows << QByteArray::number(id) + ',' + p + ',' + q + ',' + QByteArray::number(id * 3) + ',' + QByteArray::number(id * 3 + 2) + ','
                    + QByteArray::number(micro ? ts * 1000 + 123 : ts) + ',' + (buyerMaker ? "true" : "false");
            const qint64 minute = ts / 60'000 * 60'000;
            const double pv = p.toDouble(), qv = q.toDouble();
            auto it = expected.find(minute);
            if (it == expected.end()) {
                expected[minute] = {minute, pv, pv, pv, pv, qv, qv * pv, buyerMaker ? 0.0 : qv};
            } else {
                Candle &c = it->second;
                c.high = std::max(c.high, pv);
                c.low = std::min(c.low, pv);
                c.close = pv;
                c.volume += qv;
                c.quoteVolume += qv * pv;
                c.takerBuyVolume += buyerMaker ? 0.0 : qv;
            }
        }
        QList<QByteArray> withRepeats = rows.mid(0, 2500);
        withRepeats += rows.mid(2000, 500); // every row of this stretch twice
        withRepeats += rows.mid(2500);
        QByteArray content = header ? "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker\n" : "";
        content += withRepeats.join('\n') + '\n';
        const QString name = QStringLiteral("LINKUSDT-aggTrades-2023-02");
        const QString dir = QStringLiteral("agg-%1%2%3/").arg(header).arg(micro).arg(zipped);
        const QString path = zipped ? write(dir + name + QStringLiteral(".zip"), TestZip::make(name + QStringLiteral(".csv"), content))
                                    : write(dir + name + QStringLiteral(".csv"), content);
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        QCOMPARE(s.files().front().duplicates, 500);
        const auto stored = MarketStore::openExisting(db).reader()->candles(m_link, Timeframe::M1, {0, 4'000'000'000'000});
        QCOMPARE(stored.size(), qsizetype(expected.size()));
        qsizetype i = 0;
        for (const auto &[minute, c] : expected) {
            // Volumes are the decimals the trades sum to (CandleBuilder), the naive sums drift.
            const auto near = [](double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); };
            const Candle &g = stored[i];
            if (!(g.ts == c.ts && g.open == c.open && g.high == c.high && g.low == c.low && g.close == c.close && near(g.volume, c.volume)
                  && near(g.quoteVolume, c.quoteVolume) && near(g.takerBuyVolume, c.takerBuyVolume)))
                QFAIL(qPrintable(QStringLiteral("minute %1 differs").arg(minute)));
            ++i;
        }
        QVERIFY(stored.front().ts < 1'675'296'000'000 && stored.back().ts >= 1'675'296'000'000); // both days
    }

    void coarserKlinesImportIntoTheirTier()
    {
        // 1h klines (a day, one hour missing): the 1h tier and the tiers above; coverage at 1h.
        QByteArray hourly;
        const qint64 feb = 1'675'209'600'000;
        for (int h = 0; h < 24; ++h)
            if (h != 7)
                hourly += QByteArray::number(feb + h * 3'600'000LL) + ",6.949,6.99,6.9,6.95,100," + QByteArray::number(feb + (h + 1) * 3'600'000LL - 1)
                    + ",695,10,50,350,0\n";
        const QString named = write(QStringLiteral("hourly/klines/LINKUSDT/1h/LINKUSDT-1h-2023-02-01.csv"), hourly);
        const QString db = freshDb();
        ImportSummary s = importInto(db, {named});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        QVERIFY2(hasMessage(s, QStringLiteral("no data from 2023-02-01T07:00:00Z")), qPrintable(s.text()));
        auto r = MarketStore::openExisting(db).reader();
        QVERIFY(r->candles(m_link, Timeframe::M1, {0, 4'000'000'000'000}).isEmpty());
        QCOMPARE(r->candles(m_link, Timeframe::H1, {0, 4'000'000'000'000}).size(), 23);
        const auto day = r->candles(m_link, Timeframe::D1, {0, 4'000'000'000'000});
        QCOMPARE(day.size(), 1);
        QCOMPARE(day[0].volume, 2300.0);
        const auto atMinute = r->coverageSummary(m_link, DataKind::Candles, {feb, feb + 86'400'000}, 60'000);
        QVERIFY(atMinute.covered.isEmpty());
        QCOMPARE(atMinute.coarser, (QVector<TimeRange>{{feb, feb + 7 * 3'600'000LL}, {feb + 8 * 3'600'000LL, feb + 86'400'000}}));
        QCOMPARE(atMinute.holes, (QVector<TimeRange>{{feb + 7 * 3'600'000LL, feb + 8 * 3'600'000LL}}));
        QCOMPARE(atMinute.finestResolutionMs, std::optional<qint64>(3'600'000));
        QCOMPARE(r->extent(m_link, DataKind::Candles), (TimeRange{feb, feb + 86'400'000}));

        // Bars of a length that is no tier are refused with a reason.
        const QString three = write(QStringLiteral("three/LINKUSDT-3m-2023-02-01.csv"),
                                    "1675209600000,6.949,6.99,6.9,6.95,100,1675209779999,695,10,50,350,0\n");
        s = importInto(freshDb(), {three});
        QVERIFY2(s.files().front().error.contains(QLatin1String("3m klines")), qPrintable(s.text()));
        const QString renamed = write(QStringLiteral("three/my-bars.csv"), "1675209600000,6.949,6.99,6.9,6.95,100,1675209779999,695,10,50,350,0\n");
        s = importInto(freshDb(), {renamed}, {m_link, {}});
        QVERIFY2(s.files().front().error.contains(QLatin1String("3 min long")), qPrintable(s.text()));
    }

    void importsRecordWhatEachFileCovered()
    {
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {zipFile()});
        QVERIFY2(s.failedFiles() == 0, qPrintable(s.text()));
        auto r = MarketStore::openExisting(db).reader();
        const qint64 feb = 1'675'209'600'000, mar = 1'677'628'800'000;
        const QVector<CoverageSpan> spans = r->coverage(m_link);
        // Klines say nothing about funding, open interest or liquidations; their taker-buy
        // volume is covered with the candles.
        QCOMPARE(spans.size(), 2);
        QCOMPARE(spans[0].kind, DataKind::Candles);
        QCOMPARE(spans[1].kind, DataKind::TakerBuy);
        QCOMPARE(spans[1].range, spans[0].range);
        QCOMPARE(spans[0].range, (TimeRange{feb, mar}));
        QCOMPARE(spans[0].quality, CoverageQuality::Complete);
        QCOMPARE(spans[0].resolutionMs, 60'000);
        QCOMPARE(spans[0].origin, QStringLiteral("import"));
        QVERIFY(r->coverageSummary(m_link, DataKind::Liquidations, {feb, mar}).isNone());
    }

    void checksumMismatchImportsNothing()
    {
        const QString copy = m_dir.filePath(QStringLiteral("sum/LINKUSDT-1m-2023-02.zip"));
        QDir().mkpath(QFileInfo(copy).absolutePath());
        QVERIFY(QFile::copy(zipFile(), copy));
        write(QStringLiteral("sum/LINKUSDT-1m-2023-02.zip.CHECKSUM"),
              QByteArray(64, 'a') + "  LINKUSDT-1m-2023-02.zip\n");
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {copy});
        QCOMPARE(s.failedFiles(), 1);
        QVERIFY2(s.files().front().error.contains(QLatin1String("does not match")), qPrintable(s.text()));
        QCOMPARE(s.totalRows(), 0);
        QCOMPARE(MarketStore::openExisting(db).reader()->instruments().size(), 0);
    }

    void malformedRowsAreReportedAndSkipped()
    {
        QList<QByteArray> lines = readFile(dayFile()).split('\n');
        lines[5].replace(",6.9", ",abc").truncate(lines[5].indexOf(",abc") + 4); // broken, and short
        auto f = lines[9].split(',');
        f[2] = "abc";
        lines[9] = f.join(',');                                   // line 10: high
        f = lines[19].split(',');
        f[3] = QByteArray::number(f[2].toDouble() + 1);
        lines[19] = f.join(',');                                  // line 20: low above high
        lines[29] = "";                                           // blank line: skipped silently
        f = lines[39].split(',');
        f[5] = "nan";
        lines[39] = f.join(',');                                  // line 40: volume
        const QString path = write(QStringLiteral("bad/LINKUSDT-1m-2023-02-01.csv"), lines.join('\n'));
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QCOMPARE(s.rejected(), 4);
        QCOMPARE(s.rows(DataKind::Candles), 1435);
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-1m-2023-02-01.csv:6: expected 12 fields, found")), qPrintable(s.text()));
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-1m-2023-02-01.csv:10:high: expected a positive decimal number, got 'abc'")),
                 qPrintable(s.text()));
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-1m-2023-02-01.csv:20:high: expected a high >= open, low and close")),
                 qPrintable(s.text()));
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-1m-2023-02-01.csv:40:volume: expected a decimal number >= 0, got 'nan'")),
                 qPrintable(s.text()));
        QCOMPARE(MarketStore::openExisting(db).reader()->count(m_link, DataKind::Candles), 1435);
    }

    void wrongFilesGetOneMessageAndLoseNothing()
    {
        const QString db = freshDb();
        importInto(db, {dayFile()});
        const QByteArray before = dumpAll(db, m_link);

        std::mt19937_64 rng(3);
        QByteArray noise(100'000, Qt::Uninitialized);
        for (char &c : noise)
            c = char(rng());
        const QString binary = write(QStringLiteral("wrong/LINKUSDT-1m-2023-02-02.csv"), noise);
        const QString text = write(QStringLiteral("wrong/notes.csv"), "name,price\nfoo,1\n");
        const QString empty = write(QStringLiteral("wrong/empty.csv"), "");
        const QString image = write(QStringLiteral("wrong/picture.png"), "\x89PNG\r\n\x1a\n" + noise.left(5000));
        QByteArray truncated = readFile(zipFile()).left(700'000);
        const QString cut = write(QStringLiteral("wrong/LINKUSDT-1m-2023-03.zip"), truncated);

        for (const QString &path : {binary, text, empty, image, cut}) {
            const ImportSummary s = importInto(db, {path});
            QCOMPARE(s.files().size(), 1);
            QVERIFY2(!s.files().front().ok(), qPrintable(path));
            QCOMPARE(s.totalRows(), 0);
            QVERIFY2(s.files().front().messages.size() <= 1, qPrintable(s.text())); // one message, not one per line
            qInfo().noquote() << s.files().front().line();
        }
        QCOMPARE(dumpAll(db, m_link), before);
    }

    void partialMonthReportsItsHoles()
    {
        QList<QByteArray> lines = readFile(dayFile()).trimmed().split('\n');
        lines.remove(100, 30); // 30 minutes gone
        const QString path = write(QStringLiteral("partial/klines/LINKUSDT-1m-2023-02.csv"), lines.join('\n'));
        const ImportSummary s = importInto(freshDb(), {path});
        QCOMPARE(s.rows(DataKind::Candles), 1410);
        QVERIFY2(hasMessage(s, QStringLiteral("no data from 2023-02-01T01:39:00Z to 2023-02-01T02:09:00Z (30 min")), qPrintable(s.text()));
        QVERIFY2(hasMessage(s, QStringLiteral("partial file: data ends at 2023-02-02T00:00:00Z, 27.0 days before")), qPrintable(s.text()));
    }

    void ownCsvExportsReimportExactly()
    {
        const QString db = freshDb();
        importInto(db, {dayFile()});
        MarketBatch extra;
        extra.instrument = m_link;
        extra.markCandles = sourceBars(dayFile()).mid(0, 300);
        extra.funding = {{1'675'209'600'000, 0.0001, 8}, {1'675'238'400'000, -3.75e-05, 8}};
        extra.predictedFunding = {{1'675'209'660'000, 0.00011, 8}};
        extra.openInterest = {{1'675'209'600'000, 23'456'789.123, 1.6e8}, {1'675'209'900'000, 23'456'790.5, 1.60000001e8}};
        extra.liquidations = {{1'675'209'601'234, 0, Liquidation::Side::Long, 6.951, 1200.5, true},
                              {1'675'209'601'234, 1, Liquidation::Side::Short, 6.96, 0.1, false}};
        MarketStore::attach(db).writer()->commit(extra);

        const QString target = freshDb();
        for (const QString &kind : {QStringLiteral("candles"), QStringLiteral("mark"), QStringLiteral("funding"),
                                    QStringLiteral("predicted_funding"), QStringLiteral("oi"), QStringLiteral("liquidations")}) {
            const QString file = write(QStringLiteral("own/link-%1.csv").arg(kind), exportCsv(db, kind, m_link));
            const auto hint = DataKinds::parse(kind);
            const ImportSummary s = importInto(target, {file}, {m_link, hint});
            QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        }
        QCOMPARE(dumpAll(target, m_link), dumpAll(db, m_link));
        // Without a hint, the file names say mark and predicted; our exports need --instrument.
        const ImportSummary noInstrument = importInto(freshDb(), {m_dir.filePath(QStringLiteral("own/link-oi.csv"))});
        QVERIFY2(noInstrument.files().front().error.contains(QLatin1String("--instrument")), qPrintable(noInstrument.text()));
        const ImportSummary byName = importInto(freshDb(), {m_dir.filePath(QStringLiteral("own/link-mark.csv"))}, {m_link, {}});
        QCOMPARE(byName.rows(DataKind::MarkCandles), 300);
    }

    void sourceRunsInTheDataThreadWithProgress()
    {
        const QString db = freshDb();
        DataThread data(db);
        auto *source = new FileImportSource({zipDir(), dayFile()}, {{}, {}, 5'000});
        QSignalSpy imported(source, &FileImportSource::imported);
        QSignalSpy progress(&data, &DataThread::progress);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        data.setSource(source);
        QVERIFY(finished.wait(30'000));
        QTRY_COMPARE(imported.size(), 1);
        const auto summary = imported.front().front().value<ImportSummary>();
        QCOMPARE(summary.files().size(), 2);
        QCOMPARE(summary.rows(DataKind::Candles), 40'320 + 1440);
        // The day file repeats the month's first day: the store counted it as already there.
        QVERIFY2(summary.headline().startsWith(QLatin1String("Imported 41760 1m candles (40320 new or changed) from 2 files")),
                 qPrintable(summary.headline()));
        QCOMPARE(summary.files().at(0).changed, 40'320);
        QCOMPARE(summary.files().at(1).changed, 0);
        QVERIFY2(summary.files().at(1).line().contains(QLatin1String("all already stored")), qPrintable(summary.files().at(1).line()));
        QVERIFY(progress.size() > 3);
        qint64 last = -1;
        for (const auto &p : progress) {
            QVERIFY(p.at(0).toLongLong() >= last);
            last = p.at(0).toLongLong();
        }
        QCOMPARE(last, progress.last().at(1).toLongLong());
        data.sync();
        QCOMPARE(MarketStore::openExisting(db).reader()->count(m_link, DataKind::Candles), 40'320);
    }
};

QTEST_GUILESS_MAIN(TestFileImport)
#include "tst_fileimport.moc"
