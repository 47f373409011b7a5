#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

// The range analysis on imported Binance history, as a new user gets it: the crafted
// real-market fixtures (exact data.binance.vision layouts; klines, metrics and fundingRate,
// no liquidations) imported with `perpscope import`, then `perpscope analyze --json` and
// `perpscope coverage` on the cases real BTCUSDT history showed: a short squeeze, shorts added
// into a drop, a deleveraging with price flat, negative funding, five days without open
// interest, and a database with no open interest at all.
class TestRealMarketCases : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_db, m_klinesOnly;

    static QString fixtures() { return TestUtil::dataFile(QStringLiteral("binance/crafted/futures")); }

    QJsonObject analyze(const QString &db, const QString &from, const QString &to)
    {
        const auto r = TestUtil::runPerpscope({QStringLiteral("analyze"), QStringLiteral("--db"), db, QStringLiteral("--from"), from,
                                               QStringLiteral("--to"), to, QStringLiteral("--json")});
        if (r.exitCode != 0)
            qWarning().noquote() << r.err;
        return QJsonDocument::fromJson(r.out.toUtf8()).object();
    }

    static QString explain(const QJsonObject &o)
    {
        QStringList reasons;
        for (const QJsonValue &v : o.value(QLatin1String("reasons")).toArray())
            reasons << v.toString();
        return o.value(QLatin1String("verdict")).toString() + QLatin1Char('/') + o.value(QLatin1String("confidence")).toString() + QStringLiteral(": ")
            + reasons.join(QStringLiteral("; "));
    }

    static void expectUnknownLiquidations(const QJsonObject &o)
    {
        for (const char *key : {"long_liq_usd", "short_liq_usd", "liq_count", "largest_liq_usd"})
            QVERIFY2(o.value(QLatin1String(key)).isNull(), key);
        const QJsonObject cov = o.value(QLatin1String("coverage")).toObject().value(QLatin1String("liquidations")).toObject();
        QCOMPARE(cov.value(QLatin1String("covered_share")).toDouble(), 0.0);
        QVERIFY(cov.value(QLatin1String("quality")).isNull());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_db = m_dir.filePath(QStringLiteral("binance.db"));
        auto r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), m_db, fixtures()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(QLatin1String("Imported 11520 1m+5m candles, 72 funding rates, 5472 open interest samples from 44 files")), qPrintable(r.out));
        m_klinesOnly = m_dir.filePath(QStringLiteral("klines.db"));
        r = TestUtil::runPerpscope({QStringLiteral("import"), QStringLiteral("--db"), m_klinesOnly, fixtures() + QStringLiteral("/um/daily/klines")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void aShortSqueezeIsASqueezeButNotAConfidentOne()
    {
        const QJsonObject o = analyze(m_db, QStringLiteral("2026-06-15T08:00:00Z"), QStringLiteral("2026-06-15T12:00:00Z"));
        QVERIFY2(o.value(QLatin1String("price_change_pct")).toDouble() > 3, qPrintable(explain(o)));
        QVERIFY2(o.value(QLatin1String("oi_change_pct")).toDouble() < -2, qPrintable(explain(o)));
        QCOMPARE(o.value(QLatin1String("verdict")).toString(), QStringLiteral("squeeze"));
        QCOMPARE(o.value(QLatin1String("confidence")).toString(), QStringLiteral("low")); // no liquidations to confirm it
        expectUnknownLiquidations(o);
        QVERIFY2(explain(o).contains(QLatin1String("unknown, not zero")), qPrintable(explain(o)));
    }

    void shortsAddedIntoADropLeaveItStillLoaded()
    {
        const QJsonObject o = analyze(m_db, QStringLiteral("2026-06-16T08:00:00Z"), QStringLiteral("2026-06-16T12:00:00Z"));
        QVERIFY(o.value(QLatin1String("price_change_pct")).toDouble() < -2);
        QVERIFY(o.value(QLatin1String("oi_change_pct")).toDouble() > 1.5);
        QVERIFY2(o.value(QLatin1String("verdict")).toString() == QLatin1String("still_loaded"), qPrintable(explain(o)));
        // Coins and USD moved in opposite directions: the reasons say which one they use.
        QVERIFY(o.value(QLatin1String("oi_change_usd_pct")).toDouble() < 0);
        QVERIFY2(explain(o).contains(QLatin1String("in coins")) && explain(o).contains(QLatin1String("in USD")), qPrintable(explain(o)));
    }

    void aDeleveragingWithPriceFlatIsNotQuiet()
    {
        const QJsonObject o = analyze(m_db, QStringLiteral("2026-06-17T00:00:00Z"), QStringLiteral("2026-06-17T12:00:00Z"));
        QVERIFY(std::abs(o.value(QLatin1String("price_change_pct")).toDouble()) < 0.5);
        QVERIFY(o.value(QLatin1String("oi_change_pct")).toDouble() < -4.5);
        QVERIFY2(o.value(QLatin1String("verdict")).toString() == QLatin1String("deleveraging"), qPrintable(explain(o)));
        // The thresholds came from this instrument's own trailing history.
        const QJsonObject t = o.value(QLatin1String("thresholds")).toObject();
        QCOMPARE(t.value(QLatin1String("oi_cleared")).toObject().value(QLatin1String("source")).toString(), QStringLiteral("trailing_30d"));
    }

    void negativeFundingIsNeutralNotElevated()
    {
        const QJsonObject o = analyze(m_db, QStringLiteral("2026-06-18T04:00:00Z"), QStringLiteral("2026-06-18T08:00:00Z"));
        QCOMPARE(o.value(QLatin1String("funding_end")).toDouble(), -0.000034);
        const QString all = explain(o);
        QVERIFY2(all.contains(QLatin1String("-0.0034%")) && !all.contains(QLatin1String("elevated, ")), qPrintable(all));
        QVERIFY2(o.value(QLatin1String("verdict")).toString() == QLatin1String("spot_led"), qPrintable(all));
        QCOMPARE(o.value(QLatin1String("confidence")).toString(), QStringLiteral("low"));
    }

    void aRangeInsideTheMetricsHoleHasNoOpenInterest()
    {
        // Five days without metrics files: the last sample before the range is days old.
        const QJsonObject o = analyze(m_db, QStringLiteral("2026-06-22T20:00:00Z"), QStringLiteral("2026-06-23T08:00:00Z"));
        QCOMPARE(o.value(QLatin1String("verdict")).toString(), QStringLiteral("insufficient_data"));
        for (const char *key : {"oi_start", "oi_end", "oi_change", "oi_change_pct", "oi_change_usd_pct", "funding_paid_usd"})
            QVERIFY2(o.value(QLatin1String(key)).isNull(), key);
        const QJsonObject oi = o.value(QLatin1String("coverage")).toObject().value(QLatin1String("oi")).toObject();
        QCOMPARE(oi.value(QLatin1String("covered_share")).toDouble(), 0.0);
        QVERIFY(oi.value(QLatin1String("start_age_ms")).toDouble() > 72 * 3'600'000.0);
        QVERIFY(oi.value(QLatin1String("start_stale")).toBool());
        QVERIFY2(explain(o).contains(QLatin1String("days old")), qPrintable(explain(o)));
        // A range that starts in the hole and ends after it: the start is stale.
        const QJsonObject across = analyze(m_db, QStringLiteral("2026-06-23T18:00:00Z"), QStringLiteral("2026-06-24T06:00:00Z"));
        QCOMPARE(across.value(QLatin1String("verdict")).toString(), QStringLiteral("insufficient_data"));
        QVERIFY(across.value(QLatin1String("oi_start")).isNull());
    }

    void withoutOpenInterestEverythingIsInsufficient()
    {
        for (const auto &[from, to] : {std::pair(QStringLiteral("2026-06-15T08:00:00Z"), QStringLiteral("2026-06-15T12:00:00Z")),
                                       std::pair(QStringLiteral("2026-06-17T00:00:00Z"), QStringLiteral("2026-06-17T12:00:00Z"))}) {
            const QJsonObject o = analyze(m_klinesOnly, from, to);
            QCOMPARE(o.value(QLatin1String("verdict")).toString(), QStringLiteral("insufficient_data"));
            QVERIFY(o.value(QLatin1String("oi_start")).isNull() && o.value(QLatin1String("oi_change_pct")).isNull());
            QVERIFY(!o.value(QLatin1String("price_change_pct")).isNull()); // price is known
            expectUnknownLiquidations(o);
        }
    }

    void noImportedRangeIsAConfidentFlush()
    {
        // Ranges of 1 to 24 hours all over the imported month: without liquidations a flush or
        // squeeze is never more than low confidence, and unknown liquidations are null.
        std::mt19937_64 rng(42);
        const qint64 from = 1'780'272'000'000 + 3 * 86'400'000LL; // 2026-06-04
        std::uniform_int_distribution<qint64> start(from, from + 20LL * 86'400'000);
        std::uniform_int_distribution<qint64> length(3'600'000, 86'400'000);
        int flushes = 0;
        for (int k = 0; k < 24; ++k) {
            const qint64 a = start(rng) / 60'000 * 60'000;
            const QJsonObject o = analyze(m_db, QString::number(a), QString::number(a + length(rng)));
            QVERIFY2(!o.isEmpty(), "analyze failed");
            const QString v = o.value(QLatin1String("verdict")).toString();
            if (v == QLatin1String("flush") || v == QLatin1String("squeeze")) {
                ++flushes;
                QCOMPARE(o.value(QLatin1String("confidence")).toString(), QStringLiteral("low"));
            }
            QVERIFY(o.value(QLatin1String("confidence")).toString() != QLatin1String("high"));
            expectUnknownLiquidations(o);
        }
        qInfo() << flushes << "of 24 random ranges read as flush or squeeze (all low confidence)";
    }

    void coverageShowsTheHolesAndWhatIsUnknown()
    {
        const auto r = TestUtil::runPerpscope({QStringLiteral("coverage"), QStringLiteral("--db"), m_db});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QStringList lines = r.out.split(QLatin1Char('\n'));
        const auto line = [&](const QString &kind) {
            for (const QString &l : lines)
                if (l.trimmed().startsWith(kind + QLatin1Char(' ')))
                    return l;
            return QString();
        };
        QVERIFY2(line(QStringLiteral("candles")).contains(QLatin1String("complete")) && line(QStringLiteral("candles")).contains(QLatin1String("1m..5m")),
                 qPrintable(r.out));
        QVERIFY2(line(QStringLiteral("oi")).contains(QLatin1String("1 (5.0 days in all)")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QLatin1String("hole 2026-06-19 00:00 .. 2026-06-24 00:00")), qPrintable(r.out));
        QVERIFY2(line(QStringLiteral("liquidations")).contains(QLatin1String("none")), qPrintable(r.out));
        QVERIFY2(line(QStringLiteral("funding")).contains(QLatin1String("8h")), qPrintable(r.out));

        const auto j = TestUtil::runPerpscope({QStringLiteral("coverage"), QStringLiteral("--db"), m_db, QStringLiteral("--json"),
                                               QStringLiteral("--instrument"), QStringLiteral("BTCUSDT")});
        QVERIFY2(j.exitCode == 0, qPrintable(j.err));
        const QJsonArray instruments = QJsonDocument::fromJson(j.out.toUtf8()).object().value(QLatin1String("instruments")).toArray();
        QCOMPARE(instruments.size(), 1);
        bool sawOi = false;
        for (const QJsonValue &k : instruments[0].toObject().value(QLatin1String("kinds")).toArray()) {
            const QJsonObject o = k.toObject();
            if (o.value(QLatin1String("kind")).toString() == QLatin1String("oi")) {
                sawOi = true;
                QCOMPARE(o.value(QLatin1String("holes")).toArray().size(), 1);
                QCOMPARE(o.value(QLatin1String("quality")).toString(), QStringLiteral("complete"));
                QCOMPARE(o.value(QLatin1String("finest_resolution_ms")).toDouble(), 300'000.0);
            }
            if (o.value(QLatin1String("kind")).toString() == QLatin1String("liquidations"))
                QVERIFY(o.value(QLatin1String("quality")).isNull());
        }
        QVERIFY(sawOi);
    }
};

QTEST_GUILESS_MAIN(TestRealMarketCases)
#include "tst_realmarketcases.moc"
