#include "binancefixture.h"
#include "faultloop.h"
#include "testzip.h"

#include <QHash>

// kill -9 at random moments, 20 rounds each (PERPSCOPE_FAULT_ROUNDS), of the real binary
// during a backfill, an import and live streaming. After every kill the database opens,
// passes integrity_check, its tiers equal the aggregation of its 1m bars, and every stored
// row is exactly the source's (identity); nothing committed before a kill is gone after it.
// A final clean run on the same database completes it to exactly what an uninterrupted run
// stores: no hole, no duplicate.
class TestCrashLoops : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    const Instrument m_synth{QStringLiteral("SYNTH"), QStringLiteral("BTCUSDT")};
    const Instrument m_link{QStringLiteral("BINANCE"), QStringLiteral("LINKUSDT")};

    static QStringList backfillArgs(const QString &db)
    {
        return {QStringLiteral("backfill"), QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("synthetic"), QStringLiteral("--seed"),
                QStringLiteral("9"), QStringLiteral("--days"), QStringLiteral("60"), QStringLiteral("--end"), QStringLiteral("2026-01-01")};
    }
    static qint64 count(const QString &db, const Instrument &i)
    {
        try {
            return MarketStore::openReadOnly(db).reader()->count(i, DataKind::Candles);
        } catch (...) {
            return 0;
        }
    }
    // Rows stored but not the source's, and rows of `before` (stored before the kill) gone.
    static qint64 compare(const QVector<Candle> &stored, const QHash<qint64, Candle> &source, qint64 before, QString *problem)
    {
        qint64 wrong = 0;
        for (const Candle &c : stored)
            if (source.value(c.ts, Candle{}) != c)
                ++wrong;
        if (wrong)
            *problem = QStringLiteral("%1 stored bars differ from the source").arg(wrong);
        const qint64 lost = std::max<qint64>(0, before - stored.size());
        if (lost)
            *problem += QStringLiteral(" %1 committed bars gone").arg(lost);
        return wrong + lost;
    }
    static QHash<qint64, Candle> byTime(const QVector<Candle> &bars)
    {
        QHash<qint64, Candle> out;
        out.reserve(bars.size());
        for (const Candle &c : bars)
            out.insert(c.ts, c);
        return out;
    }

    // Months of real-shaped dumps: the real LINKUSDT February rows, shifted into March ...
    // December 2023, zipped as data.binance.vision ships them.
    QString writeYearOfDumps()
    {
        const QString folder = m_dir.filePath(QStringLiteral("dumps/klines/LINKUSDT/1m"));
        QDir().mkpath(folder);
        const QByteArray feb = TestZip::extractFirst(TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip")));
        const QList<QByteArray> lines = feb.trimmed().split('\n');
        for (int month = 2; month <= 12; ++month) {
            const qint64 shift = QDateTime(QDate(2023, month, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch() - BinanceFixture::feb1;
            QByteArray csv = lines.front() + '\n';
            for (qsizetype i = 1; i < lines.size(); ++i) {
                auto f = lines[i].split(',');
                f[0] = QByteArray::number(f[0].toLongLong() + shift);
                f[6] = QByteArray::number(f[6].toLongLong() + shift);
                csv += f.join(',') + '\n';
            }
            const QString name = QStringLiteral("LINKUSDT-1m-2023-%1").arg(month, 2, 10, QLatin1Char('0'));
            TestZip::write(folder + QLatin1Char('/') + name + QStringLiteral(".zip"), TestZip::make(name + QStringLiteral(".csv"), csv));
        }
        return m_dir.filePath(QStringLiteral("dumps"));
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void killNineDuringBackfill()
    {
        const QString clean = m_dir.filePath(QStringLiteral("backfill-clean.db"));
        const auto reference = FaultLoop::run(backfillArgs(clean), -1);
        QVERIFY2(reference.exitCode == 0, qPrintable(reference.err));
        QString problem;
        const QVector<Candle> all = FaultLoop::checkIntact(clean, m_synth, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        const QHash<qint64, Candle> source = byTime(all);

        const QString db = m_dir.filePath(QStringLiteral("backfill-killed.db"));
        qint64 lost = 0, before = 0;
        int crashed = 0, kills = 0;
        for (int round = 0; round < FaultLoop::rounds(); ++round) {
            const auto r = FaultLoop::run(backfillArgs(db), FaultLoop::uniform(50, reference.ms * 9 / 10));
            crashed += r.crashed ? 1 : 0;
            kills += r.killed ? 1 : 0;
            QVERIFY2(r.killed || r.exitCode == 0, qPrintable(r.err));
            const QVector<Candle> stored = FaultLoop::checkIntact(db, m_synth, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            lost += compare(stored, source, before, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            before = stored.size();
            if (!r.killed) {
                // It finished before the kill: the next round would only resume a complete
                // history (nothing to write, done at once). Start it from nothing instead.
                const QString base = db;
                for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                    QFile::remove(base + suffix);
                before = 0;
            }
        }
        const auto last = FaultLoop::run(backfillArgs(db), -1);
        QVERIFY2(last.exitCode == 0, qPrintable(last.err));
        const QVector<Candle> final = FaultLoop::checkIntact(db, m_synth, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(final == all);
        FaultLoop::report(QStringLiteral("kill -9 during backfill (synthetic, 60 days)"), FaultLoop::rounds(), lost + (all.size() - final.size()), crashed);
        QCOMPARE(crashed, 0);
        QVERIFY2(kills > FaultLoop::rounds() / 2, qPrintable(QStringLiteral("only %1 runs were still running when killed").arg(kills)));
    }

    void killNineDuringImport()
    {
        const QString dumps = writeYearOfDumps();
        const QStringList args{QStringLiteral("import"), QStringLiteral("--db"), QString(), dumps};
        const auto importInto = [&](const QString &db, qint64 killAfter) {
            QStringList a = args;
            a[2] = db;
            return FaultLoop::run(a, killAfter);
        };
        const QString clean = m_dir.filePath(QStringLiteral("import-clean.db"));
        const auto reference = importInto(clean, -1);
        QVERIFY2(reference.exitCode == 0, qPrintable(reference.err));
        QString problem;
        const QVector<Candle> all = FaultLoop::checkIntact(clean, m_link, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(all.size(), 11 * 40'320);
        const QHash<qint64, Candle> source = byTime(all);

        const QString db = m_dir.filePath(QStringLiteral("import-killed.db"));
        qint64 lost = 0, before = 0;
        int crashed = 0, kills = 0;
        for (int round = 0; round < FaultLoop::rounds(); ++round) {
            // Each killed round leaves less to import (whole zips already stored are skipped),
            // so the kill moment is drawn over what is left, not over a full import: otherwise
            // later rounds finish before any kill and test nothing (seen under ASan, where the
            // start-up share of a run is larger).
            const qint64 left = reference.ms * (all.size() - before) / std::max<qint64>(1, all.size());
            const auto r = importInto(db, FaultLoop::uniform(30, left * 9 / 10));
            crashed += r.crashed ? 1 : 0;
            kills += r.killed ? 1 : 0;
            QVERIFY2(r.killed || r.exitCode == 0, qPrintable(r.err));
            const QVector<Candle> stored = FaultLoop::checkIntact(db, m_link, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            lost += compare(stored, source, before, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            before = stored.size();
            if (!r.killed || before == all.size()) {
                // Complete: the next round would only find nothing new. Start it from nothing.
                for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                    QFile::remove(db + suffix);
                before = 0;
            }
        }
        const auto last = importInto(db, -1);
        QVERIFY2(last.exitCode == 0, qPrintable(last.err));
        const QVector<Candle> final = FaultLoop::checkIntact(db, m_link, &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QVERIFY(final == all);
        FaultLoop::report(QStringLiteral("kill -9 during import (11 monthly zips, 443,520 rows)"), FaultLoop::rounds(),
                          lost + (all.size() - final.size()), crashed);
        QCOMPARE(crashed, 0);
        QVERIFY2(kills > FaultLoop::rounds() / 2, qPrintable(QStringLiteral("only %1 runs were still running when killed").arg(kills)));
    }

    // The GUI streaming live from the loopback Binance servers, killed while minutes arrive.
    // What a kill takes is at most the open batch; the next start fetches over REST what the
    // stream delivered but the store never got.
    void killNineDuringLiveStreaming()
    {
        using namespace BinanceFixture;
        const FakeBinance::Dataset link = linkFebruary();
        const qint64 now = feb1 + 6 * 3'600'000LL + 30'000;
        FakeBinance::RestServer rest(now, 2400, 60'000);
        rest.data[QStringLiteral("LINKUSDT")] = link;
        FakeBinance::StreamServer ws;
        const QString db = m_dir.filePath(QStringLiteral("live.db"));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME"}) {
            const QString dir = m_dir.filePath(QStringLiteral("home/%1").arg(QLatin1String(var)));
            QDir().mkpath(dir);
            env.insert(QLatin1String(var), dir);
        }
        const QStringList args{QStringLiteral("--db"), db, QStringLiteral("--source"), QStringLiteral("binance"), QStringLiteral("--instrument"),
                               QStringLiteral("LINKUSDT"), QStringLiteral("--source-option"), QStringLiteral("rest_url=") + rest.url(),
                               QStringLiteral("--source-option"), QStringLiteral("ws_url=") + ws.url(), QStringLiteral("--source-option"),
                               QStringLiteral("batch_ms=100"), QStringLiteral("--source-option"), QStringLiteral("reconnect_ms=100")};
        const Candle *bars = link.candles.constData();
        const auto bar = [&](qint64 ts) { return bars[(ts - feb1) / minute]; };
        const auto push = [&](qint64 m) {
            const Candle c = bar(m);
            ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), {m, c.open, c.open, c.open, c.open, 1, c.open, 0}, false, m + 5000));
            ws.push(FakeBinance::StreamServer::kline(QStringLiteral("LINKUSDT"), c, true, m + 60'100));
            rest.setNow(m + 60'000 + 30'000); // as on the real venue, the stream is at the present
        };
        const QHash<qint64, Candle> source = byTime(link.candles);
        qint64 next = feb1 + 6 * 3'600'000LL, lost = 0, before = 0;
        int crashed = 0;
        QString problem;
        for (int round = 0; round < FaultLoop::rounds(); ++round) {
            QProcess gui;
            gui.setProcessEnvironment(env);
            gui.start(QStringLiteral(PERPSCOPE_BINARY), args);
            QVERIFY(gui.waitForStarted(30'000));
            const int connectionsBefore = ws.connections();
            QTRY_VERIFY2_WITH_TIMEOUT(ws.liveConnections() == 1 && ws.connections() > connectionsBefore,
                                      qPrintable(QString::fromUtf8(gui.readAllStandardError())), 60'000);
            // A few minutes stream in; the kill comes at a random message.
            const qint64 killAt = FaultLoop::uniform(1, 8);
            for (int k = 0; k < 8; ++k) {
                if (k == killAt)
                    break;
                push(next);
                next += minute;
                QTest::qWait(int(FaultLoop::uniform(10, 150)));
            }
            if (!FaultLoop::killNine(gui))
                ++crashed; // it had ended by itself
            if (!gui.waitForFinished(30'000))
                ++crashed;
            QTRY_VERIFY_WITH_TIMEOUT(ws.liveConnections() == 0, 20'000);
            const QVector<Candle> stored = FaultLoop::checkIntact(db, m_link, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            lost += compare(stored, source, before, &problem);
            QVERIFY2(problem.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(round).arg(problem)));
            before = stored.size();
        }
        // A last start: once a new minute arrives, everything streamed before is in the store,
        // fetched over REST where a kill took it.
        QProcess gui;
        gui.setProcessEnvironment(env);
        gui.start(QStringLiteral(PERPSCOPE_BINARY), args);
        QTRY_VERIFY_WITH_TIMEOUT(ws.liveConnections() == 1, 60'000);
        push(next);
        next += minute;
        const qint64 start = Timeframes::floor(Timeframe::M1, Timeframes::floor(Timeframe::M1, now) - qint64(30 * 86'400'000LL));
        const auto expected = between(link.candles, std::max(start, feb1), next);
        QVector<Candle> stored;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 60'000) {
            stored = FaultLoop::checkIntact(db, m_link, &problem);
            if (stored == expected)
                break;
            QTest::qWait(200);
        }
        FaultLoop::killNine(gui);
        gui.waitForFinished(30'000);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        qint64 missing = 0;
        const QHash<qint64, Candle> have = byTime(stored);
        for (const Candle &c : expected)
            missing += have.value(c.ts, Candle{}) == c ? 0 : 1;
        FaultLoop::report(QStringLiteral("kill -9 during live streaming (GUI, loopback Binance)"), FaultLoop::rounds(), lost + missing, crashed);
        QCOMPARE(missing, 0);
        QCOMPARE(stored.size(), expected.size()); // no duplicate, nothing extra
        QCOMPARE(crashed, 0);
    }
};

QTEST_GUILESS_MAIN(TestCrashLoops)
#include "tst_crashloops.moc"
