#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QElapsedTimer>

#include <csignal>

// kill -9 in the middle of a long backfill: the database opens, passes integrity_check,
// holds a clean prefix (whole batches only), and re-running the backfill completes it with
// no duplicates and the same content as an uninterrupted run.
class TestCrashRecovery : public QObject
{
    Q_OBJECT

private:
    const Instrument m_i{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    static constexpr qint64 days = 400;

    static QStringList backfillArgs(const QString &db)
    {
        return {QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("synthetic"), QStringLiteral("--seed"),
                QStringLiteral("9"), QStringLiteral("--days"), QString::number(days), QStringLiteral("--end"), QStringLiteral("2026-01-01")};
    }

    static QString exportCandles(const QString &db, const QString &tf)
    {
        const auto r = TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                               QStringLiteral("candles"), QStringLiteral("--timeframe"), tf, QStringLiteral("--out"), QStringLiteral("-")});
        return r.exitCode == 0 ? r.out : QStringLiteral("export failed: ") + r.err;
    }

private slots:
    void killNineDuringBackfill()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("killed.db"));
        QProcess child;
        child.start(QStringLiteral(PERPSCOPE_BINARY), backfillArgs(db));
        QVERIFY(child.waitForStarted());

        // Wait until some batches are committed, then kill mid-flight.
        QElapsedTimer t;
        t.start();
        qint64 seen = 0;
        while (t.elapsed() < 60000 && child.state() == QProcess::Running) {
            QTest::qWait(50);
            try {
                seen = MarketStore::openExisting(db).reader()->count(m_i, DataKind::Candles);
            } catch (...) {
                seen = 0;
            }
            if (seen >= 20 * 1440)
                break;
        }
        QVERIFY2(child.state() == QProcess::Running, "the backfill finished before it could be killed; make it longer");
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished());
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        const MarketStore store = MarketStore::open(db);
        QCOMPARE(store.integrityCheck(), QStringLiteral("ok"));
        auto reader = store.reader();
        const qint64 partial = reader->count(m_i, DataKind::Candles);
        QVERIFY(partial >= seen);
        QVERIFY2(partial < days * 1440, "nothing was lost, so the kill came too late to test anything");
        QCOMPARE(partial % 10'000, 0); // the synthetic source commits 10,000-bar batches: no torn batch
        const TimeRange span = reader->extent(m_i, DataKind::Candles);
        QCOMPARE(span.span(), partial * 60'000); // a gapless prefix

        // Re-run: completes, no duplicates, identical to an uninterrupted run.
        const auto rerun = TestUtil::runPerpscope(backfillArgs(db));
        QVERIFY2(rerun.exitCode == 0, qPrintable(rerun.err));
        QCOMPARE(reader->count(m_i, DataKind::Candles), days * 1440);
        const QString clean = dir.filePath(QStringLiteral("clean.db"));
        const auto full = TestUtil::runPerpscope(backfillArgs(clean));
        QVERIFY2(full.exitCode == 0, qPrintable(full.err));
        for (const QString &tf : {QStringLiteral("1m"), QStringLiteral("1d")}) {
            const QString a = exportCandles(db, tf);
            QVERIFY(a.size() > 1000);
            QVERIFY2(a == exportCandles(clean, tf), qPrintable(QStringLiteral("%1 candles differ after recovery").arg(tf)));
        }
    }
};

QTEST_GUILESS_MAIN(TestCrashRecovery)
#include "tst_crashrecovery.moc"
