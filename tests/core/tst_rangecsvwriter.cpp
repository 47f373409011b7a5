#include "domain/numbers.h"
#include "storage/marketstore.h"
#include "storage/rangecsvwriter.h"
#include "storage/storereader.h"
#include "storage/storewriter.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

// The range CSV ("Export CSV of the selection", the range chip's file) is read by people and
// spreadsheets: issue 14 item 9 found float noise in it (`4.750999999999981`), the sum of
// decimal 1m volumes in a coarser tier. Coarse rows print the decimals they are; 1m rows
// print what the venue sent.
class TestRangeCsvWriter : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    const Instrument m_i{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};
    static constexpr qint64 t0 = 1'767'225'600'000;
    static constexpr int minutes = 4 * 1440; // more than 5000 rows at 1m: written at 5m
    QVector<qint64> m_volumeMilli;           // each 1m volume in thousandths, exactly

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("csv.db"));
        MarketBatch b;
        b.instrument = m_i;
        for (int i = 0; i < minutes; ++i) {
            const qint64 milli = 300 + (i * 7919) % 9000; // 0.300 ... 9.299, three decimals as a venue sends
            m_volumeMilli << milli;
            const double open = 7.5 + (i % 97) * 0.001;
            Candle c{t0 + i * 60'000LL, open, open + 0.003, open - 0.002, open + 0.001, milli / 1000.0, milli / 1000.0 * open, milli / 2000.0};
            b.candles << c;
        }
        b.openInterest << OpenInterestSample{t0, 1'234'567.1, 9'259'253.25};
        MarketStore::open(m_db).writer()->commit(b);
    }

    void cleanNumbers()
    {
        QCOMPARE(Numbers::formatClean(4.750999999999981), QByteArray("4.751"));
        QCOMPARE(Numbers::formatClean(0.1 + 0.2), QByteArray("0.3"));
        QCOMPARE(Numbers::formatClean(93'123.45), QByteArray("93123.45"));
        QCOMPARE(Numbers::formatClean(-0.00012345), QByteArray("-0.00012345"));
        QCOMPARE(Numbers::formatClean(0.0), QByteArray("0"));
        QCOMPARE(Numbers::formatClean(7.5e9), QByteArray("7500000000"));
        // Beyond the tolerance a value keeps its digits: a real 13th digit is not noise.
        QCOMPARE(Numbers::formatClean(1.000000000001), QByteArray("1.000000000001"));
        QCOMPARE(Numbers::formatClean(1e20), Numbers::format(1e20));
    }

    void coarseRowsHaveNoFloatNoise()
    {
        const TimeRange range{t0, t0 + minutes * 60'000LL};
        QCOMPARE(RangeCsvWriter::timeframeFor(range), Timeframe::M5);
        auto reader = MarketStore::openExisting(m_db).reader();
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        QCOMPARE(RangeCsvWriter(*reader).write(m_i, range, out), qint64(minutes / 5));
        const QList<QByteArray> lines = out.data().trimmed().split('\n');
        QCOMPARE(lines.first(), RangeCsvWriter::header());
        QCOMPARE(lines.size(), 1 + minutes / 5);

        // The store's 5m volumes are float sums: some of them carry noise when printed whole.
        const auto tier = reader->candles(m_i, Timeframe::M5, range);
        int noisy = 0;
        for (const Candle &c : tier)
            noisy += Numbers::format(c.volume).size() > 12;
        QVERIFY2(noisy > 0, "the fixture should produce float sums that print long");

        for (int row = 0; row < minutes / 5; ++row) {
            const QList<QByteArray> f = lines[row + 1].split(',');
            QCOMPARE(f.size(), 15);
            qint64 milli = 0;
            for (int k = 0; k < 5; ++k)
                milli += m_volumeMilli[row * 5 + k];
            // Exactly the decimal sum, written as short as it is.
            QCOMPARE(f[5], Numbers::format(double(milli) / 1000.0));
            QVERIFY2(f[5].size() <= 6, f[5].constData());
            for (int col : {1, 2, 3, 4, 6})
                QVERIFY2(f[col].size() <= 10, (lines[row + 1]).constData());
            QCOMPARE(Numbers::parse(f[5]).value(), double(milli) / 1000.0);
        }
        QVERIFY(lines[1].split(',')[7] == QByteArray("1234567.1"));
        QVERIFY(lines[1].split(',')[8] == QByteArray("9259253.25"));
    }
};

QTEST_GUILESS_MAIN(TestRangeCsvWriter)
#include "tst_rangecsvwriter.moc"
