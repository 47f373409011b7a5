#include "sources/import/csvfields.h"
#include "sources/import/fileimport.h"
#include "sources/import/rowparsers.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"
#include "testutil.h"
#include "testzip.h"

// Random and mutated input for every parser: nothing crashes or hangs, and whatever a
// parser accepts is a row the store accepts (one bad row must never sink a whole batch).
class TestImportFuzz : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::mt19937_64 m_rng{20230201};

    struct Layout
    {
        const char *name;
        QByteArray header;
        QList<QByteArray> seeds;
    };

    static QList<Layout> layouts()
    {
        return {
            {"klines", "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore",
             {"1675209600000,6.949,6.959,6.947,6.957,30020.25,1675209659999,208718.48852,471,10610.28,73780.89351,0",
              "1735689600000000,59.49,59.49,59.42,59.45,1554.932,1735689659999999,92449.80017,442,832.674,49507.33217,0"}},
            {"aggTrades", "agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker",
             {"1446230265,21820.30,1.614,2815718001,2815718002,1662940800166,true",
              "1446230266,21820.40,0.018,2815718003,2815718003,1662940800200,false"}},
            {"fundingRate", "calc_time,funding_interval_hours,last_funding_rate", {"1785542400001,8,0.00004123", "1785571200002,4,-0.0001"}},
            {"metrics",
             "create_time,symbol,sum_open_interest,sum_open_interest_value,count_toptrader_long_short_ratio,"
             "sum_toptrader_long_short_ratio,count_long_short_ratio,sum_taker_long_short_vol_ratio",
             {"2026-08-20 00:35:00,BTCUSDT,107623.133,7497622895.4992,1.12763794,1.49445800,1.07922842,2.45605600",
              "2021-01-01 00:00:00,BTCUSDT,,,,,,", "2021-01-01 00:05:00,BTCUSDT,2.9277658452832E9,1e10,1,1,1,1"}},
            {"candles", "ts,open,high,low,close,volume,quote_volume,taker_buy_volume",
             {"1675209600000,6.949,6.959,6.947,6.957,30020.25,208718.48852,10610.28"}},
            {"funding", "ts,rate,interval_hours", {"1675209600000,0.0001,8", "1675238400000,-3.75e-05,4"}},
            {"oi", "ts,open_interest,open_interest_usd", {"1675209600000,23456789.123,160000000"}},
            {"liquidations", "ts,side,price,qty,seq,in_exchange_feed", {"1675209601234,long,6.951,1200.5,0,1", "1675209601234,short,7,0.1,1,0"}},
        };
    }

    QByteArray mutate(QByteArray line)
    {
        std::uniform_int_distribution<int> op(0, 11);
        static const QList<QByteArray> tokens = {"", "-", "nan", "inf", "1e309", "-0", "0", "+1", "1e-320", ",", ",,", "\"", "\t",
                                                 "9223372036854775807", "-9223372036854775808", "99999999999999999999", "true",
                                                 "TRUE", "2024-02-30 00:00:00", "0x1F", " 1", "\xff\xfe", "1.2.3", "e5"};
        const int rounds = 1 + int(m_rng() % 4);
        for (int r = 0; r < rounds; ++r) {
            const qsizetype pos = line.isEmpty() ? 0 : qsizetype(m_rng() % quint64(line.size() + 1));
            switch (op(m_rng)) {
            case 0: if (!line.isEmpty() && pos < line.size()) line[pos] = char(m_rng()); break;
            case 1: line.insert(pos, char(32 + m_rng() % 95)); break;
            case 2: line.remove(pos, qsizetype(m_rng() % 6)); break;
            case 3: line.truncate(pos); break;
            case 4: line.insert(pos, tokens[qsizetype(m_rng() % quint64(tokens.size()))]); break;
            case 5: {
                auto f = line.split(',');
                f[qsizetype(m_rng() % quint64(f.size()))] = tokens[qsizetype(m_rng() % quint64(tokens.size()))];
                line = f.join(',');
                break;
            }
            case 6: line += ',' + tokens[qsizetype(m_rng() % quint64(tokens.size()))]; break;
            case 7: {
                auto f = line.split(',');
                if (f.size() > 1)
                    f.removeAt(qsizetype(m_rng() % quint64(f.size())));
                line = f.join(',');
                break;
            }
            case 8: line = line.repeated(1 + int(m_rng() % 3)); break;
            case 9: {
                QByteArray noise(int(m_rng() % 80), Qt::Uninitialized);
                for (char &c : noise)
                    c = char(m_rng());
                line = noise.replace('\n', ' ').replace('\0', ' ');
                break;
            }
            case 10: {
                auto f = line.split(',');
                auto &x = f[qsizetype(m_rng() % quint64(f.size()))];
                x = QByteArray::number(x.toDouble() * -1.0);
                line = f.join(',');
                break;
            }
            default: break; // unchanged: valid rows stay in the mix
            }
        }
        return line;
    }

    // Every parser on one line; an accepted row must pass the store's own validation.
    static qsizetype parseEverywhere(const QByteArray &line)
    {
        const CsvFields f(line);
        RowProblem p;
        MarketBatch b;
        b.instrument = {QStringLiteral("BINANCE"), QStringLiteral("FUZZ")};
        Candle c;
        qint64 interval = 0;
        TimeColumn t1, t2, t3;
        if (RowParsers::kline(f, t1, &c, &interval, &p))
            b.candles << c;
        AggTrade a;
        if (RowParsers::aggTrade(f, t2, &a, &p) && !(a.price > 0 && a.qty > 0))
            return -1;
        FundingSample s;
        if (RowParsers::fundingRate(f, t3, &s, &p))
            b.funding << s;
        OpenInterestSample o;
        QByteArrayView symbol;
        bool empty = false;
        if (RowParsers::metrics(f, &o, &symbol, &empty, &p) && !empty)
            b.openInterest << o;
        if (RowParsers::ownCandle(f, &c, &p))
            b.markCandles << c;
        if (RowParsers::ownFunding(f, &s, &p))
            b.predictedFunding << s;
        if (RowParsers::ownOpenInterest(f, &o, &p))
            b.openInterest << o;
        Liquidation l;
        if (RowParsers::ownLiquidation(f, &l, &p))
            b.liquidations << l;
        const QString verdict = StoreWriter::validate(b);
        if (!verdict.isEmpty())
            qWarning().noquote() << QString::fromLatin1(line.toPercentEncoding(",.-:+ ")) << "->" << verdict;
        return verdict.isEmpty() ? b.rowCount() : -1;
    }

private slots:
    void mutatedLinesNeverCrashAndAcceptedRowsAreStorable()
    {
        qint64 accepted = 0, refused = 0;
        for (const Layout &layout : layouts())
            for (int i = 0; i < 4000; ++i) {
                const QByteArray seed = layout.seeds[qsizetype(m_rng() % quint64(layout.seeds.size()))];
                const qsizetype rows = parseEverywhere(mutate(i % 10 == 0 ? layout.header : seed));
                QVERIFY(rows >= 0);
                (rows > 0 ? accepted : refused) += 1;
            }
        // Both paths were exercised, not just one.
        QVERIFY2(accepted > 2000 && refused > 10000, qPrintable(QStringLiteral("%1 accepted, %2 refused").arg(accepted).arg(refused)));
    }

    void datetimeParserRejectsImpossibleDates()
    {
        QVERIFY(RowParsers::utcDateTime("2024-02-29 23:59:59").has_value());
        for (const char *bad : {"2023-02-29 00:00:00", "2024-13-01 00:00:00", "2024-01-01 24:00:00", "2024-01-01 00:60:00",
                                "2024-1-01 00:00:00", "2024-01-01", "", "2024-01-01 00:00:0x"})
            QVERIFY2(!RowParsers::utcDateTime(bad).has_value(), bad);
        QCOMPARE(*RowParsers::utcDateTime("2026-08-20 00:35:00"), 1'787'186'100'000);
    }

    void mutatedFilesImportWithoutFailingABatch()
    {
        const QString db = m_dir.filePath(QStringLiteral("fuzz.db"));
        MarketStore::open(db);
        const auto writerOwner = MarketStore::attach(db).writer();
        StoreWriter &writer = *writerOwner;
        const QList<Layout> all = layouts();
        qint64 importedRows = 0;
        const char *names[] = {"FUZZ-1m-2023-02.csv", "FUZZ-aggTrades-2023-02.csv", "FUZZ-fundingRate-2023-02.csv",
                               "FUZZ-metrics-2023-02-01.csv", "own-candles.csv", "own-funding.csv", "own-oi.csv", "own-liquidations.csv"};
        for (int round = 0; round < 3; ++round)
            for (qsizetype k = 0; k < all.size(); ++k) {
                QByteArray content = round == 1 ? QByteArray() : all[k].header + '\n';
                for (int i = 0; i < 1500; ++i)
                    content += mutate(all[k].seeds[qsizetype(m_rng() % quint64(all[k].seeds.size()))]) + (i % 7 ? "\n" : "\r\n");
                const QString path = m_dir.filePath(QStringLiteral("r%1/%2").arg(round).arg(QLatin1String(names[k])));
                QDir().mkpath(QFileInfo(path).absolutePath());
                if (round == 2)
                    TestZip::write(path + QStringLiteral(".zip"), TestZip::make(QLatin1String(names[k]), content));
                else
                    TestZip::write(path, content);
                qint64 failedBatches = 0;
                FileImport f(round == 2 ? path + QStringLiteral(".zip") : path, {{QStringLiteral("BINANCE"), QStringLiteral("FUZZ")}, {}},
                             [&](const MarketBatch &b) {
                                 try {
                                     writer.commit(b);
                                 } catch (const StoreError &) {
                                     ++failedBatches;
                                 }
                             });
                f.run();
                QCOMPARE(failedBatches, 0);
                importedRows += f.report().rows + f.report().duplicates;
                const auto &r = f.report();
                QVERIFY(r.messages.size() <= 40); // capped, not one per line
                QVERIFY2(r.rows + r.rejected + r.duplicates + r.empty > 0 || !r.ok(), qPrintable(r.line()));
            }
        // Accepted rows, not only rejects. (The files repeat a few seed rows: of each time only
        // the first row is kept, so most mutated repeats are refused as conflicting duplicates.)
        QVERIFY2(importedRows > 500, qPrintable(QString::number(importedRows)));
    }

    void randomAndMutatedBytesGiveAnErrorNotACrash()
    {
        const QByteArray zip = TestZip::make(QStringLiteral("X-1m-2023-02.csv"),
                                             QByteArray("1675209600000,6.949,6.959,6.947,6.957,30020.25,1675209659999,208718.48852,471,"
                                                        "10610.28,73780.89351,0\n")
                                                 .repeated(500));
        for (int i = 0; i < 300; ++i) {
            QByteArray bytes;
            if (i % 2) {
                bytes = zip;
                for (int k = 0; k < 1 + int(m_rng() % 8); ++k)
                    bytes[qsizetype(m_rng() % quint64(bytes.size()))] = char(m_rng());
                if (i % 6 == 1)
                    bytes.truncate(qsizetype(m_rng() % quint64(bytes.size())));
            } else {
                bytes.resize(qsizetype(m_rng() % 5000));
                for (char &c : bytes)
                    c = char(m_rng() % (i % 4 ? 256 : 128));
            }
            const QString path = m_dir.filePath(QStringLiteral("bytes/X-1m-2023-02-%1.zip").arg(i % 28 + 1, 2, 10, QLatin1Char('0')));
            QDir().mkpath(QFileInfo(path).absolutePath());
            TestZip::write(path, bytes);
            FileImport f(path, {}, [](const MarketBatch &b) { QVERIFY(StoreWriter::validate(b).isEmpty()); });
            f.run();
            if (!f.report().ok())
                QVERIFY(!f.report().error.isEmpty());
        }
    }
};

QTEST_GUILESS_MAIN(TestImportFuzz)
#include "tst_importfuzz.moc"
