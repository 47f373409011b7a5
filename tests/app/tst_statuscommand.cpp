#include "pgcluster.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>

// `perpscope status` (issue 18 item 3): per instrument and kind the newest row, its lag behind
// now and the recorded coverage, as an aligned table and as JSON, the same from SQLite and
// PostgreSQL.
class TestStatusCommand : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;
    PgCluster m_cluster;

    static QStringList backfill(const QString &db)
    {
        return {QStringLiteral("backfill"), QStringLiteral("--db"),   db, QStringLiteral("--source"), QStringLiteral("synthetic"),
                QStringLiteral("--days"),   QStringLiteral("1"), QStringLiteral("--end"), QStringLiteral("2026-01-03")};
    }

    static QStringList status(const QString &db, const QStringList &more = {})
    {
        return QStringList{QStringLiteral("status"), QStringLiteral("--db"), db, QStringLiteral("--now"), QStringLiteral("2026-01-03T00:10:00Z")} + more;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("synth.db"));
        const auto r = TestUtil::runPerpscope(backfill(m_db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void tableIsAligned()
    {
        const auto r = TestUtil::runPerpscope(status(m_db));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QVERIFY2(lines.size() >= 3, qPrintable(r.out));
        QVERIFY2(lines[0].startsWith(m_db + QStringLiteral(" at 2026-01-03 00:10:00 UTC")), qPrintable(r.out));
        // Every column starts where the header's does.
        const QString header = lines[1];
        for (const char *column : {"kind", "newest row (UTC)", "coverage (UTC)", "quality", "holes"})
            QVERIFY2(header.contains(QLatin1String(column)), qPrintable(header));
        const qsizetype kindAt = header.indexOf(QStringLiteral("kind")), newestAt = header.indexOf(QStringLiteral("newest row"));
        QString candles;
        for (const QString &l : lines.mid(2)) {
            QVERIFY2(l.startsWith(QStringLiteral("SYNTH:BTCUSDT ")), qPrintable(l));
            QVERIFY2(l.at(kindAt - 1) == QLatin1Char(' ') && l.at(kindAt) != QLatin1Char(' '), qPrintable(l));
            QVERIFY2(l.at(newestAt - 1) == QLatin1Char(' ') && l.at(newestAt) != QLatin1Char(' '), qPrintable(l));
            if (l.mid(kindAt).startsWith(QStringLiteral("candles ")))
                candles = l;
        }
        // The newest 1m bar opened at 23:59, eleven minutes before --now; a full day covered.
        QVERIFY2(candles.contains(QStringLiteral("2026-01-02 23:59:00")), qPrintable(candles));
        QVERIFY2(candles.contains(QStringLiteral("11.0 min")), qPrintable(candles));
        QVERIFY2(candles.contains(QStringLiteral("2026-01-02 00:00 .. 2026-01-03 00:00")), qPrintable(candles));
        QVERIFY2(candles.contains(QRegularExpression(QStringLiteral("complete +100\\.0% +0$"))), qPrintable(candles));
    }

    void json()
    {
        const auto r = TestUtil::runPerpscope(status(m_db, {QStringLiteral("--json")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
        QCOMPARE(o.value(QStringLiteral("now")).toString(), QStringLiteral("2026-01-03T00:10:00Z"));
        const QJsonArray instruments = o.value(QStringLiteral("instruments")).toArray();
        QCOMPARE(instruments.size(), 1);
        QCOMPARE(instruments[0][QStringLiteral("instrument")].toString(), QStringLiteral("SYNTH:BTCUSDT"));
        QJsonObject candles;
        QStringList kinds;
        for (const QJsonValue &k : instruments[0][QStringLiteral("kinds")].toArray()) {
            kinds << k[QStringLiteral("kind")].toString();
            if (k[QStringLiteral("kind")].toString() == QLatin1String("candles"))
                candles = k.toObject();
        }
        QVERIFY2(kinds.contains(QStringLiteral("liquidations")) && kinds.contains(QStringLiteral("oi")), qPrintable(kinds.join(QLatin1Char(','))));
        QCOMPARE(candles.value(QStringLiteral("newest")).toString(), QStringLiteral("2026-01-02T23:59:00Z"));
        QCOMPARE(candles.value(QStringLiteral("lag_ms")).toDouble(), 660'000.0);
        QCOMPARE(candles.value(QStringLiteral("covered_share")).toDouble(), 1.0);
        QCOMPARE(candles.value(QStringLiteral("quality")).toString(), QStringLiteral("complete"));
        QCOMPARE(candles.value(QStringLiteral("holes")).toInt(), 0);
    }

    void missingStoreAndArguments()
    {
        const auto missing = TestUtil::runPerpscope(status(m_dir.filePath(QStringLiteral("nothing.db"))));
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.startsWith(QStringLiteral("perpscope: ")), qPrintable(missing.err));
        const auto usage = TestUtil::runPerpscope({QStringLiteral("status")});
        QCOMPARE(usage.exitCode, 2);
    }

    // The same table from a PostgreSQL store filled by the same command line.
    void sameOnPostgreSql()
    {
        QString why;
        QVERIFY2(m_cluster.start(&why), qPrintable(why));
        const QString pg = m_cluster.uri();
        const auto filled = TestUtil::runPerpscope(backfill(pg));
        QVERIFY2(filled.exitCode == 0, qPrintable(filled.err));
        for (const QStringList &more : {QStringList{}, QStringList{QStringLiteral("--json")}}) {
            const auto lite = TestUtil::runPerpscope(status(m_db, more));
            const auto post = TestUtil::runPerpscope(status(pg, more));
            QVERIFY2(post.exitCode == 0, qPrintable(post.err));
            QString a = lite.out, b = post.out;
            a.replace(m_db, QStringLiteral("STORE"));
            b.replace(pg, QStringLiteral("STORE"));
            QCOMPARE(b, a);
        }
        m_cluster.stop();
    }
};

QTEST_GUILESS_MAIN(TestStatusCommand)
#include "tst_statuscommand.moc"
