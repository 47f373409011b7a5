#include "importfixtures.h"
#include "testzip.h"

using namespace ImportFixtures;

// data.binance.vision spot dumps (research/data-formats-2.md §D.3): the path's spot/ folder
// puts them on BINANCE_SPOT (the symbols are spelt as on USDⓈ-M), there is no header row,
// and the time unit is decided per file: milliseconds before 2025-01-01, microseconds from
// then on. A file whose unit contradicts its date, or a time in neither unit, is refused with
// a reason. The files are the real LINKUSDT 2023-02-01 klines laid out as spot dumps.
class TestSpotImport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument m_spot{QStringLiteral("BINANCE_SPOT"), QStringLiteral("LINKUSDT")};
    const Instrument m_perp{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
    static constexpr qint64 feb1 = 1'675'209'600'000;
    static constexpr qint64 jan2025 = 1'735'689'600'000;
    int m_db = 0;

    QString freshDb()
    {
        const QString path = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_db));
        MarketStore::open(path);
        return path;
    }

    // The day's rows without the header, times moved by shiftMs and multiplied by scale.
    static QByteArray spotRows(qint64 shiftMs, qint64 scale, int rows = 1440)
    {
        QList<QByteArray> lines = readFile(dayFile()).trimmed().split('\n');
        lines.removeFirst(); // spot dumps have no header row
        QByteArray out;
        for (int i = 0; i < rows && i < lines.size(); ++i) {
            auto f = lines[i].trimmed().split(',');
            f[0] = QByteArray::number((f[0].toLongLong() + shiftMs) * scale);
            f[6] = QByteArray::number((f[6].toLongLong() + shiftMs) * scale + (scale - 1)); // ..999999 in µs
            out += f.join(',') + '\n';
        }
        return out;
    }

    QString spotZip(const QString &folder, const QString &name, const QByteArray &csv)
    {
        return write(m_dir, folder + QLatin1Char('/') + name + QStringLiteral(".zip"), TestZip::make(name + QStringLiteral(".csv"), csv));
    }

    static QVector<Candle> expectedBars(qint64 shiftMs)
    {
        QVector<Candle> out;
        for (const QByteArray &raw : readFile(dayFile()).split('\n')) {
            const QByteArray line = raw.trimmed();
            if (line.isEmpty() || !std::isdigit(uchar(line[0])))
                continue;
            const auto f = line.split(',');
            out.push_back({f[0].toLongLong() + shiftMs, f[1].toDouble(), f[2].toDouble(), f[3].toDouble(), f[4].toDouble(), f[5].toDouble(),
                           f[7].toDouble(), f[9].toDouble()});
        }
        return out;
    }

private slots:
    void spotFolderMeansTheSpotVenue()
    {
        const QString path = spotZip(QStringLiteral("data/spot/daily/klines/LINKUSDT/1m"), QStringLiteral("LINKUSDT-1m-2023-02-01"), spotRows(0, 1));
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        QCOMPARE(s.files().front().instrument, m_spot);
        QCOMPARE(s.rows(DataKind::Candles), 1440);
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->candles(m_spot, Timeframe::M1, {0, 4'000'000'000'000}), expectedBars(0));
        QCOMPARE(reader->count(m_perp, DataKind::Candles), 0); // the perpetual of the same spelling is untouched
        QVERIFY(reader->coverageSummary(m_spot, DataKind::TakerBuy, {feb1, feb1 + 86'400'000}).isFull());
        // The same file under futures/um stays a perpetual's.
        const QString futures = spotZip(QStringLiteral("data/futures/um/daily/klines/LINKUSDT/1m"), QStringLiteral("LINKUSDT-1m-2023-02-01"), spotRows(0, 1));
        QCOMPARE(importInto(freshDb(), {futures}).files().front().instrument, m_perp);
    }

    void microsecondsFrom2025()
    {
        // 2025-01-01, the first day of microsecond spot dumps: daily and monthly layouts.
        const qint64 shift = jan2025 - feb1;
        const QString daily = spotZip(QStringLiteral("data/spot/daily/klines/LINKUSDT/1m"), QStringLiteral("LINKUSDT-1m-2025-01-01"), spotRows(shift, 1000));
        const QString db = freshDb();
        ImportSummary s = importInto(db, {daily});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        QVERIFY2(s.text().contains(QLatin1String("microseconds")), qPrintable(s.text()));
        auto reader = MarketStore::openExisting(db).reader();
        QCOMPARE(reader->candles(m_spot, Timeframe::M1, {0, 4'000'000'000'000}), expectedBars(shift)); // stored as ms
        // A monthly file of January 2025 (its first day only): microseconds too.
        const QString monthly = spotZip(QStringLiteral("data/spot/monthly/klines/LINKUSDT/1m"), QStringLiteral("LINKUSDT-1m-2025-01"), spotRows(shift, 1000, 60));
        s = importInto(freshDb(), {monthly});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        QCOMPARE(s.rows(DataKind::Candles), 60);
    }

    void aUnitAgainstTheDateIsRefused()
    {
        const qint64 shift = jan2025 - feb1;
        // Milliseconds in a 2025 spot dump, microseconds in a 2023 one: not as Binance publishes.
        const QString msIn2025 = spotZip(QStringLiteral("a/spot/daily/klines/LINKUSDT/1m"), QStringLiteral("LINKUSDT-1m-2025-01-01"), spotRows(shift, 1));
        const QString usIn2023 = spotZip(QStringLiteral("b/spot/daily/klines/LINKUSDT/1m"), QStringLiteral("LINKUSDT-1m-2023-02-01"), spotRows(0, 1000));
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {msIn2025, usIn2023});
        QCOMPARE(s.failedFiles(), 2);
        QVERIFY2(s.files()[0].error.contains(QLatin1String("of 2025-01-01 must hold its times in microseconds")), qPrintable(s.files()[0].error));
        QVERIFY2(s.files()[0].error.contains(QLatin1String("open_time is in milliseconds")), qPrintable(s.files()[0].error));
        QVERIFY2(s.files()[1].error.contains(QLatin1String("of 2023-02-01 must hold its times in milliseconds")), qPrintable(s.files()[1].error));
        QCOMPARE(MarketStore::openExisting(db).reader()->count(m_spot, DataKind::Candles), 0); // nothing stored from either
    }

    void aTimeInNeitherUnitSaysWhatItLooksLike()
    {
        // Epoch seconds (10 digits): every row refused, each naming the line and the field.
        QByteArray seconds;
        for (const QByteArray &line : spotRows(0, 1, 3).trimmed().split('\n')) {
            auto f = line.split(',');
            f[0] = QByteArray::number(f[0].toLongLong() / 1000);
            f[6] = QByteArray::number(f[6].toLongLong() / 1000);
            seconds += f.join(',') + '\n';
        }
        const QString path = write(m_dir, QStringLiteral("s/spot/daily/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02-01.csv"), seconds);
        const ImportSummary s = importInto(freshDb(), {path});
        QCOMPARE(s.rows(DataKind::Candles), 0);
        QCOMPARE(s.rejected(), 3);
        QVERIFY2(s.text().contains(QLatin1String("LINKUSDT-1m-2023-02-01.csv:1:open_time: expected epoch milliseconds (or microseconds) "
                                                 "from 2009 to 2100 (it reads as epoch seconds), got '1675209600'")),
                 qPrintable(s.text()));
    }

    void spotAggTradesAndImpossibleSpotFiles()
    {
        // Spot aggTrades: 8 columns (is_best_match), True/False, microseconds in 2025.
        const QByteArray trades = "0,7.01000000,2.00000000,0,0,1735689600010866,False,True\n"
                                  "1,7.02000000,3.50000000,1,2,1735689601500000,True,True\n"
                                  "2,7.00000000,1.25000000,3,3,1735689660000001,False,True\n";
        const QString agg = spotZip(QStringLiteral("t/spot/daily/aggTrades/LINKUSDT"), QStringLiteral("LINKUSDT-aggTrades-2025-01-01"), trades);
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {agg});
        QVERIFY2(s.failedFiles() == 0 && s.rejected() == 0, qPrintable(s.text()));
        const auto bars = MarketStore::openExisting(db).reader()->candles(m_spot, Timeframe::M1, {jan2025, jan2025 + 120'000});
        QCOMPARE(bars.size(), 2);
        QCOMPARE(bars[0].volume, 5.5);
        QCOMPARE(bars[0].takerBuyVolume, 2.0); // is_buyer_maker False: the taker bought
        QCOMPARE(bars[1].takerBuyVolume, 1.25);
        // A spot market has no funding or open interest: such a file in a spot folder is refused.
        const QString funding = write(m_dir, QStringLiteral("f/spot/monthly/fundingRate/LINKUSDT/LINKUSDT-fundingRate-2023-02.csv"),
                                      "calc_time,funding_interval_hours,last_funding_rate\n1675209600000,8,0.0001\n");
        const ImportSummary f = importInto(freshDb(), {funding});
        QCOMPARE(f.failedFiles(), 1);
        QVERIFY2(f.files().front().error.contains(QLatin1String("not applicable for spot")), qPrintable(f.files().front().error));
    }
};

QTEST_GUILESS_MAIN(TestSpotImport)
#include "tst_spotimport.moc"
