#include "testutil.h"
#include "testzip.h"

#include <QFile>

// perpscope import as a script runs it: the real binary, exit codes, progress on stderr,
// the summary on stdout, and export csv giving back the source rows.
class TestImportCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    static QString monthZip()
    {
        return TestUtil::dataFile(QStringLiteral("binance/futures/um/monthly/klines/LINKUSDT/1m/LINKUSDT-1m-2023-02.zip"));
    }

    QString write(const QString &name, const QByteArray &content)
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(content);
        return path;
    }

    static void expectOneLineFailure(const TestUtil::RunResult &r, int code, const QString &needle)
    {
        QVERIFY2(r.exitCode == code, qPrintable(QStringLiteral("exit %1, stderr: %2").arg(r.exitCode).arg(r.err)));
        const QStringList lines = r.err.trimmed().split(QLatin1Char('\n'));
        QVERIFY2(lines.last().startsWith(QLatin1String("perpscope: ")) && lines.last().contains(needle), qPrintable(r.err));
    }

private slots:
    void importThenExportGivesTheSourceRows()
    {
        const QString db = m_dir.filePath(QStringLiteral("a.db"));
        auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db,
                                         TestUtil::dataFile(QStringLiteral("binance/futures"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QLatin1String("Imported 40320 1m candles from 1 file (2023-02-01T00:00:00Z to 2023-03-01T00:00:00Z); "
                                                "0 rows rejected")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("sha256 matches")), qPrintable(r.out));
        QVERIFY2(r.err.contains(QLatin1String("importing LINKUSDT-1m-2023-02.zip")), qPrintable(r.err)); // progress

        const QString out = m_dir.filePath(QStringLiteral("candles.csv"));
        r = TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                    QStringLiteral("candles"), QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile exported(out);
        QVERIFY(exported.open(QIODevice::ReadOnly));
        const QList<QByteArray> got = exported.readAll().trimmed().split('\n');
        const QList<QByteArray> source = TestZip::extractFirst(monthZip()).trimmed().split('\n');
        QCOMPARE(got.size(), source.size()); // both have a header
        for (qsizetype i = 1; i < source.size(); ++i) {
            const auto s = source[i].trimmed().split(','), g = got[i].split(',');
            // ts, OHLC, volume, quote volume, taker-buy volume: the same numbers.
            const int sourceColumn[] = {0, 1, 2, 3, 4, 5, 7, 9};
            for (int c = 0; c < 8; ++c)
                if (s[sourceColumn[c]].toDouble() != g[c].toDouble())
                    QFAIL(qPrintable(QStringLiteral("line %1 column %2: %3 vs %4").arg(i + 1).arg(c).arg(QString::fromLatin1(source[i]),
                                                                                                        QString::fromLatin1(got[i]))));
        }

        // Importing again is a no-op, and says so: the store counted no row it did not hold
        // with these values; the export is byte-identical.
        r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db, monthZip()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QLatin1String("Nothing new: 40320 1m candles from 1 file already stored (2023-02-01T00:00:00Z to "
                                                "2023-03-01T00:00:00Z); 0 rows rejected")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("40320 1m candles for BINANCE:LINKUSDT, 2023-02-01T00:00:00Z to 2023-03-01T00:00:00Z, all already stored")),
                 qPrintable(r.out));
        QVERIFY2(!r.out.contains(QLatin1String("Imported")), qPrintable(r.out));
        const QString again = m_dir.filePath(QStringLiteral("candles2.csv"));
        TestUtil::runPerpscope({QStringLiteral("export"), QStringLiteral("csv"), QStringLiteral("--db"), db, QStringLiteral("--kind"),
                                QStringLiteral("candles"), QStringLiteral("--timeframe"), QStringLiteral("1m"), QStringLiteral("--out"), again});
        QFile second(again);
        QVERIFY(second.open(QIODevice::ReadOnly));
        exported.seek(0);
        QCOMPARE(second.readAll(), exported.readAll());
    }

    // 15.10: when every row failed, the per-row diagnostics vanished behind the one error.
    void everyRowFailingStillSaysWhy()
    {
        const QString bad = write(QStringLiteral("LINKUSDT-1m-2023-02-03.csv"),
                                  "1675382400000,6.9,abc,6.8,6.85,10,1675382459999,68.5,1,5,34,0\n"
                                  "1675382460000,6.9,6.95,6.8,6.85,-10,1675382519999,68.5,1,5,34,0\n");
        const auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), m_dir.filePath(QStringLiteral("e.db")), bad});
        expectOneLineFailure(r, 1, QStringLiteral("none of its 2 rows could be read"));
        QVERIFY2(r.err.contains(QLatin1String("LINKUSDT-1m-2023-02-03.csv:1:high: expected a positive decimal number, got 'abc'")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QLatin1String("LINKUSDT-1m-2023-02-03.csv:2:volume: expected a decimal number >= 0, got '-10'")), qPrintable(r.err));
    }

    void wrongFilesGetOneClearLine()
    {
        const QString db = m_dir.filePath(QStringLiteral("b.db"));
        QByteArray noise(4096, Qt::Uninitialized);
        std::mt19937_64 rng(1);
        for (char &c : noise)
            c = char(rng());
        const QString junk = write(QStringLiteral("junk.bin"), noise);
        auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db, junk});
        expectOneLineFailure(r, 1, QStringLiteral("junk.bin: not a CSV text file"));
        QVERIFY(r.out.isEmpty());

        r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db, m_dir.filePath(QStringLiteral("missing.zip"))});
        expectOneLineFailure(r, 1, QStringLiteral("missing.zip: no such file or folder"));

        r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db});
        expectOneLineFailure(r, 2, QStringLiteral("at least one file"));
        r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db, QStringLiteral("--kind"), QStringLiteral("heat"), junk});
        expectOneLineFailure(r, 2, QStringLiteral("--kind: 'heat'"));
    }

    // Issue 14 item 9: a file that overlaps what is stored says how much of it was new.
    void anOverlappingFileSaysWhatWasNew()
    {
        const QString db = m_dir.filePath(QStringLiteral("overlap.db"));
        auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db,
                                         TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QLatin1String("Imported 1440 1m candles from 1 file")), qPrintable(r.out));
        // The month holds the same first day, row for row.
        r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db, monthZip()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QLatin1String("Imported 40320 1m candles (38880 new or changed) from 1 file")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("38880 new or changed, 1440 already stored")), qPrintable(r.out));
    }

    void malformedRowsAreListedAndTheRestImported()
    {
        const QString db = m_dir.filePath(QStringLiteral("c.db"));
        QFile day(TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv")));
        QVERIFY(day.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = day.readAll().split('\n');
        lines[3].replace("1675209720000", "16752O9720000"); // a letter O in the time
        const QString bad = write(QStringLiteral("LINKUSDT-1m-2023-02-01.csv"), lines.join('\n'));
        const QString junk = write(QStringLiteral("notes.txt"), "hello\nworld\n");
        const auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), db, bad, junk});
        // One file failed: exit 1, but the good rows are in and the summary says what happened.
        expectOneLineFailure(r, 1, QStringLiteral("1 of 2 files could not be imported"));
        QVERIFY2(r.out.contains(QLatin1String("Imported 1439 1m candles from 2 files")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("LINKUSDT-1m-2023-02-01.csv:4:open_time: expected epoch milliseconds (or microseconds) "
                                              "from 2009 to 2100, got '16752O9720000'")),
                 qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("notes.txt: not imported: unrecognised file")), qPrintable(r.out));
    }
};

QTEST_GUILESS_MAIN(TestImportCommand)
#include "tst_importcommand.moc"
