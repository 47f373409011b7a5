#include "testutil.h"
#include "testzip.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

// A spot market has no open interest, funding, mark price or liquidations: after importing a
// Binance spot dump, `perpscope coverage` and `perpscope status` (table and JSON) say "not
// applicable for spot" for those series, never "never covered: unknown" or a zero.
class TestSpotCoverage : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db;

private slots:
    void initTestCase()
    {
        // The first hour of the real LINKUSDT 2023-02-01 klines, laid out as a spot dump (no header).
        QFile day(TestUtil::dataFile(QStringLiteral("binance/LINKUSDT-1m-2023-02-01.csv")));
        QVERIFY(day.open(QIODevice::ReadOnly));
        QList<QByteArray> lines = day.readAll().trimmed().split('\n');
        lines.removeFirst();
        const QByteArray csv = lines.mid(0, 60).join('\n') + '\n';
        const QString folder = m_dir.filePath(QStringLiteral("data/spot/daily/klines/LINKUSDT/1m"));
        QDir().mkpath(folder);
        QFile zip(folder + QStringLiteral("/LINKUSDT-1m-2023-02-01.zip"));
        QVERIFY(zip.open(QIODevice::WriteOnly));
        zip.write(TestZip::make(QStringLiteral("LINKUSDT-1m-2023-02-01.csv"), csv));
        zip.close();
        m_db = m_dir.filePath(QStringLiteral("spot.db"));
        const auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), m_db, zip.fileName()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    }

    void coverageSaysNotApplicable()
    {
        const auto table = TestUtil::runPerpscope({QStringLiteral("coverage"), QStringLiteral("--db"), m_db});
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        QVERIFY2(table.out.startsWith(QLatin1String("BINANCE_SPOT:LINKUSDT")), qPrintable(table.out));
        for (const QString &line : table.out.split(QLatin1Char('\n'))) {
            const QString kind = line.simplified().section(QLatin1Char(' '), 0, 0);
            if (kind == QLatin1String("oi") || kind == QLatin1String("funding") || kind == QLatin1String("liquidations") || kind == QLatin1String("mark"))
                QVERIFY2(line.contains(QLatin1String("not applicable for spot")) && !line.contains(QLatin1String("unknown")), qPrintable(line));
            if (kind == QLatin1String("candles"))
                QVERIFY2(line.contains(QLatin1String("complete")), qPrintable(line));
        }
        const auto json = TestUtil::runPerpscope({QStringLiteral("coverage"), QStringLiteral("--db"), m_db, QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonArray kinds = QJsonDocument::fromJson(json.out.toUtf8()).object()[QStringLiteral("instruments")].toArray()[0].toObject()[QStringLiteral("kinds")].toArray();
        QVERIFY(!kinds.isEmpty());
        int notApplicable = 0;
        for (const QJsonValue &v : kinds) {
            const QJsonObject k = v.toObject();
            const bool spotless = QStringList{QStringLiteral("oi"), QStringLiteral("funding"), QStringLiteral("predicted_funding"),
                                              QStringLiteral("liquidations"), QStringLiteral("mark")}
                                      .contains(k[QStringLiteral("kind")].toString());
            QCOMPARE(k[QStringLiteral("applicable")].toBool(), !spotless);
            if (spotless) {
                QCOMPARE(k[QStringLiteral("note")].toString(), QStringLiteral("not applicable for spot"));
                ++notApplicable;
            }
        }
        QVERIFY(notApplicable >= 4);
    }

    void statusSaysNotApplicable()
    {
        const QStringList args{QStringLiteral("status"), QStringLiteral("--db"), m_db, QStringLiteral("--now"), QStringLiteral("2023-02-01T02:00:00Z")};
        const auto table = TestUtil::runPerpscope(args);
        QVERIFY2(table.exitCode == 0, qPrintable(table.err));
        for (const QString &line : table.out.split(QLatin1Char('\n')))
            if (line.contains(QLatin1String(" oi ")) || line.contains(QLatin1String(" liquidations ")))
                QVERIFY2(line.contains(QLatin1String("not applicable for spot")) && !line.contains(QLatin1String("never covered")), qPrintable(line));
        const auto json = TestUtil::runPerpscope(args + QStringList{QStringLiteral("--json")});
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonArray kinds = QJsonDocument::fromJson(json.out.toUtf8()).object()[QStringLiteral("instruments")].toArray()[0].toObject()[QStringLiteral("kinds")].toArray();
        bool sawOi = false;
        for (const QJsonValue &v : kinds)
            if (v.toObject()[QStringLiteral("kind")].toString() == QLatin1String("oi")) {
                sawOi = true;
                QCOMPARE(v.toObject()[QStringLiteral("applicable")].toBool(), false);
                QCOMPARE(v.toObject()[QStringLiteral("note")].toString(), QStringLiteral("not applicable for spot"));
            }
        QVERIFY(sawOi);
    }
};

QTEST_GUILESS_MAIN(TestSpotCoverage)
#include "tst_spotcoverage.moc"
