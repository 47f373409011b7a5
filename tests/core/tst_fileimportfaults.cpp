#include "importfixtures.h"
#include "sources/import/keyledger.h"
#include "sources/import/neighbourwindow.h"
#include "testzip.h"
#include "domain/numbers.h"

#include <QDateTime>

#include <future>
#include <sys/stat.h>

using namespace ImportFixtures;

// Issue 15 items 2-4 and the FIFO of item 10, each reproduced first: a corrupt zip must not
// overwrite good data, poison values are refused with file:line:field, duplicates follow one
// documented rule and say what happened, and a FIFO never blocks the import.
class TestFileImportFaults : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument m_link{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
    static constexpr qint64 feb1 = 1'675'209'600'000;
    int m_dbCount = 0;

    QString freshDb()
    {
        const QString path = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_dbCount));
        MarketStore::open(path);
        return path;
    }
    QString write(const QString &relative, const QByteArray &content) { return ImportFixtures::write(m_dir, relative, content); }

    // The real first day of LINKUSDT 2023-02, header first; line n of the file is lines[n - 1].
    static QList<QByteArray> dayLines() { return readFile(dayFile()).trimmed().split('\n'); }
    static QByteArray withField(const QByteArray &line, int field, const QByteArray &value)
    {
        auto f = line.split(',');
        f[field] = value;
        return f.join(',');
    }
    QString dbWithTheRealDay()
    {
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {dayFile()});
        if (s.rows(DataKind::Candles) != 1440)
            qFatal("%s", qPrintable(s.text()));
        return db;
    }
    double storedHigh(const QString &db, qint64 ts)
    {
        const auto bars = MarketStore::openExisting(db).reader()->candles(m_link, Timeframe::M1, {ts, ts + 60'000});
        return bars.isEmpty() ? -1 : bars.front().high;
    }

private slots:
    // 15.2: the entry's CRC fails (a stored high of 6.959 rewritten as 9.959) or its deflate
    // stream is cut: nothing of it may reach the store, which keeps the good day.
    void corruptZipEntryCommitsNothing_data()
    {
        QTest::addColumn<int>("damage");
        QTest::addColumn<QString>("needle");
        QTest::newRow("CRC-32 fails") << 0 << QStringLiteral("CRC-32");
        QTest::newRow("deflate cut") << 1 << QStringLiteral("ends early");
    }
    void corruptZipEntryCommitsNothing()
    {
        QFETCH(int, damage);
        QFETCH(QString, needle);
        const QString db = dbWithTheRealDay();
        const QByteArray before = dumpAll(db, m_link);
        QCOMPARE(storedHigh(db, feb1), 6.959);

        const QByteArray csv = readFile(dayFile());
        const QString entry = QStringLiteral("LINKUSDT-1m-2023-02-01.csv");
        QByteArray zip;
        if (damage == 0) {
            zip = TestZip::make(entry, csv, {false, false, false}); // stored: the bytes are there to edit
            const qsizetype at = zip.indexOf(",6.959,");
            QVERIFY(at > 0);
            zip[at + 1] = '9';
        } else {
            // The directory sizes match the file, but the deflate stream stops halfway.
            const QByteArray whole = TestZip::make(entry, csv);
            zip = TestZip::make(entry, csv, {true, false, false, 0, whole.size() / 2});
        }
        const QString path = write(QStringLiteral("corrupt%1/LINKUSDT-1m-2023-02-01.zip").arg(damage), zip);
        const ImportSummary s = importInto(db, {path}, {}, 100); // small batches: a late check would have let rows through
        QCOMPARE(s.failedFiles(), 1);
        QVERIFY2(s.files().front().error.contains(needle), qPrintable(s.text()));
        QVERIFY2(s.files().front().error.contains(QLatin1String("nothing was imported")), qPrintable(s.text()));
        QCOMPARE(s.totalRows(), 0);
        QCOMPARE(storedHigh(db, feb1), 6.959);
        QCOMPARE(dumpAll(db, m_link), before);
    }

    // 15.3: values no market produces, one per row, each refused with file:line:field; the
    // rows around them are imported, and the store holds no poison.
    void poisonValuesAreRefusedWithFileLineField_data()
    {
        QTest::addColumn<int>("field");
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("message");
        QTest::newRow("high 1.7e308") << 2 << QByteArray("1.7e308") << QStringLiteral(":11:high: expected a price from 1e-12 to 1e+09, got '1.7e308'");
        QTest::newRow("all prices 1e20") << -1 << QByteArray("1e20") << QStringLiteral(":11:open: expected a price from 1e-12 to 1e+09");
        QTest::newRow("volume 1e308") << 5 << QByteArray("1e308") << QStringLiteral(":11:volume: expected an amount at most 1e+15");
        QTest::newRow("quote volume 1e300")
            << 7 << QByteArray("1e300") << QStringLiteral(":11:quote_volume: expected a value at most 1e+17");
        QTest::newRow("quote volume off the bar")
            << 7 << QByteArray("9999999") << QStringLiteral(":11:quote_volume: expected a quote volume / volume between low and high");
        QTest::newRow("taker buys above volume")
            << 9 << QByteArray("99999999") << QStringLiteral(":11:taker_buy_volume: expected a taker buy volume <= volume");
        QTest::newRow("a 10x price") << -2 << QByteArray("70.5") << QStringLiteral(":11:open: expected a value within 10x of the rows around it");
        QTest::newRow("year 2200") << 0 << QByteArray("7258118400000") << QStringLiteral(":11:open_time: expected epoch milliseconds");
        QTest::newRow("next month") << 0 << QByteArray("1677628800000")
                                    << QStringLiteral(":11:open_time: expected a time inside the file's period (2023-02-01 to 2023-02-02)");
    }
    void poisonValuesAreRefusedWithFileLineField()
    {
        QFETCH(int, field);
        QFETCH(QByteArray, value);
        QFETCH(QString, message);
        QList<QByteArray> lines = dayLines();
        QByteArray &poisoned = lines[10]; // line 11: 00:09
        if (field == 0) {
            poisoned = withField(withField(poisoned, 0, value), 6, QByteArray::number(value.toLongLong() + 59'999));
        } else if (field < 0) {
            for (int i = 1; i <= 4; ++i)
                poisoned = withField(poisoned, i, value);
            if (field == -2) // a consistent bar, only 10x away from its neighbours
                poisoned = withField(poisoned, 7, Numbers::format(poisoned.split(',')[5].toDouble() * value.toDouble()));
        } else {
            poisoned = withField(poisoned, field, value);
        }
        const QString path = write(QStringLiteral("poison-%1/LINKUSDT-1m-2023-02-01.csv").arg(QString::fromLatin1(QTest::currentDataTag())),
                                   lines.join('\n'));
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QVERIFY2(s.files().front().ok(), qPrintable(s.text()));
        QCOMPARE(s.rejected(), 1);
        QCOMPARE(s.rows(DataKind::Candles), 1439);
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-1m-2023-02-01.csv") + message), qPrintable(s.text()));
        auto reader = MarketStore::openExisting(db).reader();
        for (Timeframe tf : Timeframes::all)
            for (const Candle &c : reader->candles(m_link, tf, {0, 4'000'000'000'000})) {
                QVERIFY2(c.high < 8 && c.low > 6 && std::isfinite(c.quoteVolume) && c.volume < 1e10,
                         qPrintable(QStringLiteral("%1 bar at %2 holds poison").arg(Timeframes::name(tf)).arg(c.ts)));
            }
    }

    // The first rows and a whole shift: a poisoned first row is caught (its window lies after
    // it), a real level change is not.
    void neighbourWindowJudgesByTheMedianAround()
    {
        const auto run = [](const QVector<double> &levels) {
            NeighbourWindow<double> w([](const double &v) { return v; }, 10);
            QVector<bool> verdicts;
            const auto judged = [&](const NeighbourWindow<double>::Entry &e, double ref) { verdicts << w.plausible(e.row, ref); };
            for (double v : levels)
                w.push(v, 0, judged);
            w.drain(judged);
            return verdicts;
        };
        QCOMPARE(run({700, 7, 7.1, 7, 6.9, 7, 7}), (QVector<bool>{false, true, true, true, true, true, true}));
        QCOMPARE(run({7, 7, 7, 0.07, 7, 7, 7}), (QVector<bool>{true, true, true, false, true, true, true}));
        QCOMPARE(run({7, 7, 7, 7, 7, 700, 700, 700, 700, 700, 700}), QVector<bool>(11, true)); // a relisting at 100x
        QCOMPARE(run({7, 700}), (QVector<bool>{true, true}));                                 // two rows cannot tell
    }

    void fundingRateOfFiveIsRefused()
    {
        const QString good = write(QStringLiteral("funding/LINKUSDT-fundingRate-2023-02.csv"),
                                   "calc_time,funding_interval_hours,last_funding_rate\n1675209600001,8,0.00014000\n1675238400002,8,0.00010000\n");
        const QString db = freshDb();
        QCOMPARE(importInto(db, {good}).rejected(), 0);
        const QString bad = write(QStringLiteral("funding-bad/LINKUSDT-fundingRate-2023-02.csv"),
                                  "calc_time,funding_interval_hours,last_funding_rate\n1675209600001,8,5.0\n1675238400002,8,0.00010000\n");
        const ImportSummary s = importInto(db, {bad});
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-fundingRate-2023-02.csv:2:last_funding_rate: expected a funding rate from -0.1 to 0.1 "
                                              "per interval (venue caps are far lower), got '5.0'")),
                 qPrintable(s.text()));
        const auto stored = MarketStore::openExisting(db).reader()->funding(m_link, {0, 4'000'000'000'000});
        QCOMPARE(stored.size(), 2);
        QCOMPARE(stored.front().rate, 0.00014);
    }

    // Rows naming BTCUSDT inside LINKUSDT-metrics replaced LINK's open interest (1,000,020 -> 5).
    void metricsOfAnotherSymbolAreRefused()
    {
        const QByteArray header = "create_time,symbol,sum_open_interest,sum_open_interest_value,count_toptrader_long_short_ratio,"
                                  "sum_toptrader_long_short_ratio,count_long_short_ratio,sum_taker_long_short_vol_ratio\n";
        QByteArray good = header, bad = header;
        for (int i = 0; i < 12; ++i) {
            const QByteArray when = QDateTime::fromMSecsSinceEpoch(feb1 + i * 300'000LL, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")).toLatin1();
            good += when + ",LINKUSDT," + QByteArray::number(1'000'020 + i) + ",7000140,1,1,1,1\n";
            bad += when + (i % 2 ? ",BTCUSDT,5,100000,1,1,1,1\n" : ",LINKUSDT," + QByteArray::number(1'000'020 + i) + ",7000140,1,1,1,1\n");
        }
        const QString db = freshDb();
        QCOMPARE(importInto(db, {write(QStringLiteral("m1/LINKUSDT-metrics-2023-02-01.csv"), good)}).rejected(), 0);
        const ImportSummary s = importInto(db, {write(QStringLiteral("m2/LINKUSDT-metrics-2023-02-01.csv"), bad)});
        QCOMPARE(s.rejected(), 6);
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-metrics-2023-02-01.csv:3:symbol: expected LINKUSDT, the file's own symbol, got 'BTCUSDT'")),
                 qPrintable(s.text()));
        for (const OpenInterestSample &o : MarketStore::openExisting(db).reader()->openInterest(m_link, {0, 4'000'000'000'000}))
            QVERIFY2(o.openInterest >= 1'000'020, qPrintable(QString::number(o.openInterest)));
    }

    // 15.4: "2 duplicates skipped" while the later row replaced the stored one. Now the first
    // row of a time wins; an identical repeat is a duplicate, a different one is rejected
    // with the line it repeats.
    void duplicatesKeepTheFirstRowAndSaySo()
    {
        QList<QByteArray> lines = dayLines();
        const QByteArray line10 = lines[9];
        QByteArray changed = withField(lines[19], 4, "6.999"); // line 20's minute (00:18) again, another close
        changed = withField(changed, 2, "6.999");
        lines.insert(10, line10);  // line 11: line 10 again, identical
        lines.insert(21, changed); // line 22: repeats line 21 (the old line 20), different values
        const QString path = write(QStringLiteral("dups/LINKUSDT-1m-2023-02-01.csv"), lines.join('\n'));
        const QString db = freshDb();
        const ImportSummary s = importInto(db, {path});
        QCOMPARE(s.files().front().duplicates, 1);
        QCOMPARE(s.rejected(), 1);
        QCOMPARE(s.rows(DataKind::Candles), 1440);
        QVERIFY2(hasMessage(s, QStringLiteral("LINKUSDT-1m-2023-02-01.csv:22:open_time: repeats 2023-02-01T00:18:00Z of line 21 with different "
                                              "values; the first row is kept")),
                 qPrintable(s.text()));
        QVERIFY2(s.files().front().line().contains(QLatin1String("1 identical duplicates skipped")), qPrintable(s.text()));
        const auto bars = MarketStore::openExisting(db).reader()->candles(m_link, Timeframe::M1, {0, 4'000'000'000'000});
        QCOMPARE(bars.size(), 1440);
        QCOMPARE(bars[18].close, dayLines()[19].split(',')[4].toDouble()); // the first row's close
    }

    void keyLedgerKeepsRunsShort()
    {
        KeyLedger keys(60'000);
        for (qint64 m = 0; m < 100'000; ++m)
            keys.insert(feb1 + m * 60'000);
        QCOMPARE(keys.runs(), 1);
        QVERIFY(keys.contains(feb1 + 500 * 60'000));
        QVERIFY(!keys.contains(feb1 - 60'000));
        QVERIFY(!keys.contains(feb1 + 30'000)); // off the grid, never inserted
        keys.insert(feb1 + 30'000);
        QVERIFY(keys.contains(feb1 + 30'000));
        keys.insert(feb1 + 200'000 * 60'000LL);
        keys.insert(feb1 + 199'999 * 60'000LL);
        QCOMPARE(keys.runs(), 3);
        for (qint64 m = 100'000; m < 199'999; ++m)
            keys.insert(feb1 + m * 60'000);
        QCOMPARE(keys.runs(), 2); // merged back into one run, plus the off-grid key
    }

    // 15.10: a FIFO named like a dump blocked `import` for ever (open() waits for a writer).
    void fifoIsRefusedWithoutBlocking()
    {
        const QString fifo = m_dir.filePath(QStringLiteral("LINKUSDT-1m-2023-02-03.csv"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QString db = freshDb();
        auto done = std::async(std::launch::async, [&] { return importInto(db, {fifo}); });
        if (done.wait_for(std::chrono::seconds(20)) != std::future_status::ready)
            qFatal("importing a FIFO blocks");
        const ImportSummary s = done.get();
        QCOMPARE(s.failedFiles(), 1);
        QVERIFY2(s.files().front().error.contains(QLatin1String("not a regular file")), qPrintable(s.text()));
    }
};

QTEST_GUILESS_MAIN(TestFileImportFaults)
#include "tst_fileimportfaults.moc"
