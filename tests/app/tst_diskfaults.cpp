#include "faultloop.h"
#include "faultvfs.h"
#include "sources/datathread.h"
#include "sources/syntheticsource.h"

#include <QFileInfo>

#include <sys/stat.h>

// The disk full at random points and the database going read-only mid-run, 20 rounds each
// (PERPSCOPE_FAULT_ROUNDS): (1) the real binary under a file size limit set at a random
// byte count (the kernel refuses the write past it, EFBIG: what a full disk does to a
// writer); (2) in this process, SQLite's writes refused with SQLITE_FULL (the ENOSPC code)
// after a random number of bytes, then the disk freed: every batch is kept and committed in
// order, nothing is lost; (3) the file system turning read-only under the writer (EROFS's
// SQLITE_IOERR_WRITE) at a random point with the command line's retry policy: the run ends
// with one message, the store keeps a consistent prefix, a re-run completes it; (4) the file
// made read-only (chmod) under a running backfill, and a read-only file given to a writer.
class TestDiskFaults : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument m_synth{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    int m_db = 0;

    QString fresh() { return m_dir.filePath(QStringLiteral("d%1.db").arg(++m_db)); }
    static QStringList backfillArgs(const QString &db)
    {
        return {QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("synthetic"), QStringLiteral("--seed"),
                QStringLiteral("4"), QStringLiteral("--days"), QStringLiteral("15"), QStringLiteral("--end"), QStringLiteral("2026-01-01")};
    }
    static SyntheticSource *source()
    {
        SyntheticSource::Params p;
        p.seed = 5;
        p.startMs = 1'767'225'600'000; // 2026-01-01
        p.minutes = 20 * 1440;
        p.barsPerBatch = 1440;
        return new SyntheticSource(p);
    }
    static bool isPrefixOf(const QVector<Candle> &stored, const QVector<Candle> &all)
    {
        return stored.size() <= all.size() && std::equal(stored.begin(), stored.end(), all.begin());
    }
    // Runs the synthetic source through a data thread (the GUI's path) until it finishes or
    // the store gives up; `during` runs once the first batch is committed.
    static bool runSource(const QString &db, const IngestWorker::CommitPolicy &policy, const std::function<void()> &during, QString *failure)
    {
        MarketStore::open(db);
        DataThread data(db);
        data.setCommitPolicy(policy);
        QSignalSpy finished(&data, &DataThread::sourceFinished);
        QSignalSpy failed(&data, &DataThread::storeFailed);
        QSignalSpy committed(&data, &DataThread::committed);
        data.setSource(source());
        if (during && committed.wait(30'000))
            during();
        const bool done = finished.wait(120'000) || !finished.isEmpty();
        data.sync();
        if (!failed.isEmpty())
            *failure = failed.front().front().toString();
        return done;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        FaultVfs::install();
    }
    void cleanup() { FaultVfs::heal(); }

    void diskFullAtRandomPointsInTheBinary()
    {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
        // Under AddressSanitizer most RLIMIT_FSIZE limits below the final size let the backfill
        // finish (9 of 20 hit the limit in the first sanitizer run; cause not found yet), so the
        // loop would not test what it claims. The first CI stage runs it on the real build.
        QSKIP("RLIMIT_FSIZE loop runs in the uninstrumented build (under ASan most limits are not hit)");
#endif
#endif
        const QString clean = fresh();
        const auto reference = FaultLoop::run(backfillArgs(clean), -1);
        QVERIFY2(reference.exitCode == 0, qPrintable(reference.err));
        QString problem;
        const QVector<Candle> all = FaultLoop::checkIntact(clean, m_synth, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const qint64 size = QFileInfo(clean).size();
        int crashed = 0, refused = 0;
        qint64 lost = 0;
        for (int round = 0; round < FaultLoop::rounds(); ++round) {
            const QString db = fresh();
            const auto r = FaultLoop::run(backfillArgs(db), -1, QProcessEnvironment::systemEnvironment(),
                                          FaultLoop::fileSizeLimit(rlim_t(FaultLoop::uniform(64 << 10, size))));
            crashed += r.crashed ? 1 : 0;
            if (r.exitCode != 0) {
                ++refused;
                const QStringList lines = r.err.trimmed().split(QLatin1Char('\n'));
                QVERIFY2(lines.back().startsWith(QLatin1String("perpscope: database ")), qPrintable(r.err));
            }
            if (!QFileInfo::exists(db))
                continue; // the limit hit before the file was made
            const QVector<Candle> stored = FaultLoop::checkIntact(db, m_synth, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            QVERIFY2(isPrefixOf(stored, all), qPrintable(QStringLiteral("round %1: the stored bars are not the source's").arg(round)));
            // Space again: the same command completes the history.
            const auto again = FaultLoop::run(backfillArgs(db), -1);
            QVERIFY2(again.exitCode == 0, qPrintable(again.err));
            const QVector<Candle> final = FaultLoop::checkIntact(db, m_synth, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            lost += all.size() - final.size();
            QVERIFY(final == all);
        }
        FaultLoop::report(QStringLiteral("disk full at a random byte (binary under RLIMIT_FSIZE, backfill)"), FaultLoop::rounds(), lost, crashed);
        QCOMPARE(crashed, 0);
        QVERIFY2(refused > FaultLoop::rounds() / 2, qPrintable(QStringLiteral("only %1 runs hit the limit").arg(refused)));
    }

    void diskFullThenFreedLosesNothing()
    {
        const QString clean = fresh();
        QString failure;
        QVERIFY(runSource(clean, {}, {}, &failure));
        QString problem;
        const QVector<Candle> all = FaultLoop::checkIntact(clean, m_synth, &problem);
        QCOMPARE(all.size(), 20 * 1440);
        IngestWorker::CommitPolicy retryForEver;
        retryForEver.firstRetryMs = 20;
        retryForEver.maxRetryMs = 100;
        qint64 lost = 0;
        int hung = 0;
        for (int round = 0; round < FaultLoop::rounds(); ++round) {
            const QString db = fresh();
            const long long budget = FaultLoop::uniform(0, 2 << 20);
            const bool done = runSource(db, retryForEver, [&] {
                FaultVfs::fail(FaultVfs::Mode::DiskFull, budget);
                QTest::qWait(int(FaultLoop::uniform(50, 600)));
                FaultVfs::heal(); // space freed
            }, &failure);
            hung += done ? 0 : 1;
            QVERIFY2(failure.isEmpty(), qPrintable(failure));
            const QVector<Candle> stored = FaultLoop::checkIntact(db, m_synth, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            lost += all.size() - stored.size();
            QVERIFY(stored == all);
        }
        QVERIFY(FaultVfs::failures() > 0);
        FaultLoop::report(QStringLiteral("disk full at a random byte, then freed (SQLITE_FULL, data thread)"), FaultLoop::rounds(), lost, hung);
        QCOMPARE(hung, 0);
    }

    void fileSystemTurnsReadOnlyMidRun()
    {
        const QString clean = fresh();
        QString failure;
        QVERIFY(runSource(clean, {}, {}, &failure));
        QString problem;
        const QVector<Candle> all = FaultLoop::checkIntact(clean, m_synth, &problem);
        IngestWorker::CommitPolicy cli;
        cli.firstRetryMs = 20;
        cli.maxRetryMs = 50;
        cli.maxAttempts = 4;
        qint64 lost = 0;
        int hung = 0, gaveUp = 0;
        for (int round = 0; round < FaultLoop::rounds(); ++round) {
            const QString db = fresh();
            const long long budget = FaultLoop::uniform(0, 2 << 20);
            failure.clear();
            const bool done = runSource(db, cli, [&] { FaultVfs::fail(FaultVfs::Mode::ReadOnlyFs, budget); }, &failure);
            hung += done ? 0 : 1;
            FaultVfs::heal(); // remounted read-write
            gaveUp += failure.isEmpty() ? 0 : 1;
            if (!failure.isEmpty())
                QVERIFY2(failure.contains(QLatin1String("gave up after 4 attempts")) && failure.contains(QLatin1String("disk read or write failed")),
                         qPrintable(failure));
            const QVector<Candle> stored = FaultLoop::checkIntact(db, m_synth, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
            QVERIFY2(isPrefixOf(stored, all), qPrintable(QStringLiteral("round %1").arg(round)));
            QVERIFY(runSource(db, {}, {}, &failure)); // the same source again completes it
            const QVector<Candle> final = FaultLoop::checkIntact(db, m_synth, &problem);
            lost += all.size() - final.size();
            QVERIFY(final == all);
        }
        FaultLoop::report(QStringLiteral("file system read-only at a random byte (SQLITE_IOERR_WRITE, CLI retry policy)"), FaultLoop::rounds(), lost, hung);
        QCOMPARE(hung, 0);
        QVERIFY(gaveUp > 0);
    }

    // chmod under a running writer changes nothing for it (its descriptors stay writable):
    // the backfill completes. A new writer on a read-only file is refused with one line.
    void fileMadeReadOnly()
    {
        const QString clean = fresh();
        QVERIFY(FaultLoop::run(backfillArgs(clean), -1).exitCode == 0);
        QString problem;
        const QVector<Candle> all = FaultLoop::checkIntact(clean, m_synth, &problem);
        const QString db = fresh();
        QProcess p;
        p.start(QStringLiteral(PERPSCOPE_BINARY), backfillArgs(db));
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(db) && QFileInfo(db).size() > 0, 30'000);
        QCOMPARE(::chmod(QFile::encodeName(db).constData(), 0444), 0);
        QVERIFY(p.waitForFinished(120'000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(FaultLoop::checkIntact(db, m_synth, &problem), all);

        // Now a writer that opens it, as a user the file's mode applies to.
        QCOMPARE(::chmod(QFile::encodeName(m_dir.path()).constData(), 0777), 0);
        const QByteArray before = [&] {
            QFile f(db);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        QProcess writer;
        if (::geteuid() == 0)
            writer.setChildProcessModifier([] {
                if (::setgid(65534) != 0 || ::setuid(65534) != 0)
                    ::_exit(99);
            });
        writer.start(QStringLiteral(PERPSCOPE_BINARY), backfillArgs(db));
        QVERIFY(writer.waitForFinished(60'000));
        const QString err = QString::fromUtf8(writer.readAllStandardError()).trimmed();
        QCOMPARE(writer.exitCode(), 1);
        QVERIFY2(err.split(QLatin1Char('\n')).back().contains(QLatin1String("read-only")), qPrintable(err));
        QFile f(db);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        FaultLoop::report(QStringLiteral("database file made read-only under a running backfill, then given to a writer"), 2, 0, 0);
    }
};

QTEST_GUILESS_MAIN(TestDiskFaults)
#include "tst_diskfaults.moc"
