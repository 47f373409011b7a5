#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "storage/marketstore.h"
#include "storage/storereader.h"
#include "testutil.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QProcess>

// The simulator's history stays put across restarts of the real GUI (issue 12.3): the
// perpscope binary is started on a fresh database (30 days simulated, then live), stopped
// the way a session ends it (SIGTERM), and started twice more on the same database. After
// each restart every minute stored before it - candles, mark, funding, open interest and
// liquidations, as `export csv` writes them - hashes to the same sha256, and the history
// is longer than before.
class TestSimRestart : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    const Instrument m_sim{QStringLiteral("SIM"), QStringLiteral("BTCUSDT")};

    QString db() const { return m_dir.filePath(QStringLiteral("restart.db")); }

    TimeRange stored()
    {
        if (!QFile::exists(db()))
            return {};
        try {
            return MarketStore::openExisting(db()).reader()->extent(m_sim, DataKind::Candles);
        } catch (const std::exception &) {
            return {}; // not yet initialised
        }
    }

    // Runs the GUI until its stored history reaches past `until` (the minute this run
    // started in: the backfill or catch-up is done and the live market follows; for a
    // restart also past the history before it), a few seconds more, then SIGTERM. Returns
    // the history's extent at exit.
    TimeRange runGui(qint64 until, const QString &label)
    {
        QProcess gui;
        gui.setProcessEnvironment(m_env);
        gui.setProcessChannelMode(QProcess::MergedChannels);
        gui.start(QStringLiteral(PERPSCOPE_BINARY), {QStringLiteral("--db"), db(), QStringLiteral("--source"), QStringLiteral("sim")});
        if (!gui.waitForStarted())
            return {};
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 420'000 && gui.state() == QProcess::Running) {
            gui.waitForFinished(500);
            const TimeRange r = stored();
            if (r.isValid() && r.to > until)
                break;
        }
        const qint64 caughtUp = t.elapsed();
        QTest::qWait(4000); // live minutes on top
        gui.terminate();    // SIGTERM: the GUI closes as its Quit action does
        const bool exited = gui.waitForFinished(60'000);
        const QString output = QString::fromUtf8(gui.readAll());
        if (!exited) {
            gui.kill();
            gui.waitForFinished();
        }
        const TimeRange r = stored();
        qInfo("%s: caught up after %.1f s; history %s … %s; exit %s %d%s%s", qPrintable(label), caughtUp / 1000.0,
              qPrintable(TimeFormat::iso(r.from)), qPrintable(TimeFormat::iso(r.to)),
              exited && gui.exitStatus() == QProcess::NormalExit ? "normal" : "abnormal", gui.exitCode(), output.isEmpty() ? "" : "; output: ",
              qPrintable(output.left(2000)));
        if (!exited || gui.exitStatus() != QProcess::NormalExit || gui.exitCode() != 0)
            return {};
        return r;
    }

    // sha256 of `perpscope export csv --kind KIND` over [from, to).
    QByteArray exportHash(const QString &kind, qint64 from, qint64 to, qint64 *bytes = nullptr)
    {
        const auto r = TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db(), QStringLiteral("--kind"), kind,
                                               QStringLiteral("--from"), QString::number(from), QStringLiteral("--to"), QString::number(to),
                                               QStringLiteral("--out"), QStringLiteral("-")});
        if (r.exitCode != 0) {
            qWarning("export %s: %s", qPrintable(kind), qPrintable(r.err));
            return {};
        }
        if (bytes)
            *bytes = r.out.toUtf8().size();
        return QCryptographicHash::hash(r.out.toUtf8(), QCryptographicHash::Sha256).toHex();
    }

    TimeRange m_before; // the history when the last run exited
    const QStringList m_kinds{QStringLiteral("candles"), QStringLiteral("mark"), QStringLiteral("funding"), QStringLiteral("oi"),
                              QStringLiteral("liquidations")};

    // A restart: hashes of every complete minute stored so far, the GUI again, the same hashes.
    void restart(int n)
    {
        QVERIFY2(m_before.isValid(), "no history from the run before");
        // Every complete minute stored so far (the last bar may be the live minute the GUI
        // stopped in: the restart completes it).
        const qint64 lastBar = Timeframes::floor(Timeframe::M1, m_before.to - 1);
        QHash<QString, QByteArray> hashes;
        qint64 candleBytes = 0;
        for (const QString &kind : m_kinds) {
            hashes.insert(kind, exportHash(kind, m_before.from, lastBar, kind == QLatin1String("candles") ? &candleBytes : nullptr));
            QVERIFY2(!hashes.value(kind).isEmpty(), qPrintable(kind));
        }
        QVERIFY(candleBytes > 30 * 1440 * 40); // the export holds the month, not a header

        const qint64 now = Timeframes::floor(Timeframe::M1, QDateTime::currentMSecsSinceEpoch());
        const TimeRange after = runGui(std::max(now, m_before.to), QStringLiteral("restart %1").arg(n));
        QVERIFY2(after.isValid(), "the restarted GUI stored nothing or did not exit cleanly");
        QCOMPARE(after.from, m_before.from);
        QVERIFY2(after.to > m_before.to,
                 qPrintable(QStringLiteral("history not extended: %1 -> %2").arg(TimeFormat::iso(m_before.to), TimeFormat::iso(after.to))));
        for (const QString &kind : m_kinds) {
            const QByteArray hash = exportHash(kind, m_before.from, lastBar);
            qInfo("restart %d, %s %s … %s: sha256 %s before, %s after", n, qPrintable(kind), qPrintable(TimeFormat::iso(m_before.from)),
                  qPrintable(TimeFormat::iso(lastBar)), hashes.value(kind).constData(), hash.constData());
            QCOMPARE(hash, hashes.value(kind));
        }
        m_before = after;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME"}) {
            const QString dir = m_dir.filePath(QString::fromLatin1(var));
            QDir().mkpath(dir);
            QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
            m_env.insert(QLatin1String(var), dir);
        }
        m_env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    }

    void firstStartSimulatesAMonth()
    {
        const qint64 firstStart = Timeframes::floor(Timeframe::M1, QDateTime::currentMSecsSinceEpoch());
        m_before = runGui(firstStart, QStringLiteral("first start (a new market)"));
        QVERIFY2(m_before.isValid(), "the first run stored no history or did not exit cleanly");
        // 30 days and the live minutes after them.
        QVERIFY2(m_before.to - m_before.from >= 30 * 86'400'000LL,
                 qPrintable(TimeFormat::iso(m_before.from) + QStringLiteral(" … ") + TimeFormat::iso(m_before.to)));
    }

    void firstRestartKeepsEveryStoredMinuteAndExtendsIt() { restart(1); }
    void secondRestartKeepsEveryStoredMinuteAndExtendsIt() { restart(2); }
};

QTEST_GUILESS_MAIN(TestSimRestart)
#include "tst_simrestart.moc"
