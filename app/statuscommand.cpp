#include "statuscommand.h"

#include "clisupport.h"
#include "domain/spotmarket.h"
#include "domain/timeformat.h"
#include "domain/timeframe.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

#include <cstdlib>

using namespace CliSupport;

namespace {

constexpr DataKind kinds[] = {DataKind::Candles,      DataKind::MarkCandles,  DataKind::Funding,    DataKind::PredictedFunding,
                              DataKind::OpenInterest, DataKind::Liquidations, DataKind::GroundTruth};

struct Row
{
    DataKind kind;
    std::optional<qint64> newest; // ts of the newest row
    std::optional<qint64> lagMs;  // now - newest
    CoverageSummary coverage;     // over the covered extent
    QStringList qualities;
    bool applicable = true;       // false: a series a spot market cannot have
};

QString seconds(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

// "45 s", "12.5 min", "3.2 h", "41.0 days"; negative lags (a clock ahead, a bar still open) as "-3 s".
QString duration(qint64 ms)
{
    const QString sign = ms < 0 ? QStringLiteral("-") : QString();
    const double s = double(std::abs(ms)) / 1000.0;
    if (s < 120)
        return sign + QStringLiteral("%1 s").arg(s, 0, 'f', 0);
    if (s < 7200)
        return sign + QStringLiteral("%1 min").arg(s / 60, 0, 'f', 1);
    if (s < 172'800)
        return sign + QStringLiteral("%1 h").arg(s / 3600, 0, 'f', 1);
    return sign + QStringLiteral("%1 days").arg(s / 86'400, 0, 'f', 1);
}

Row rowOf(StoreReader &reader, const Instrument &i, DataKind kind, const QVector<CoverageSpan> &spans, qint64 now)
{
    Row r{kind, {}, {}, {}, {}};
    // extent() is [first ts, last ts + 1), a bar's minute for candle kinds.
    const TimeRange rows = reader.extent(i, kind);
    if (rows.isValid()) {
        r.newest = rows.to - (DataKinds::isBars(kind) ? Timeframes::minuteMs : 1);
        r.lagMs = now - *r.newest;
    }
    const Coverages::KindCoverage k = Coverages::ofKind(spans, kind);
    r.coverage = k.summary;
    r.qualities = k.qualities;
    return r;
}

QJsonObject toJson(const Row &r)
{
    const auto opt = [](const std::optional<qint64> &v, bool iso) {
        return v ? (iso ? QJsonValue(TimeFormat::iso(*v)) : QJsonValue(double(*v))) : QJsonValue();
    };
    const CoverageSummary &c = r.coverage;
    const bool covered = c.range.isValid() && !c.isNone();
    return QJsonObject{
        {QStringLiteral("kind"), DataKinds::name(r.kind)},
        {QStringLiteral("applicable"), r.applicable},
        {QStringLiteral("note"), r.applicable ? QJsonValue() : QJsonValue(SpotMarket::notApplicable())},
        {QStringLiteral("newest"), opt(r.newest, true)},
        {QStringLiteral("newest_ms"), opt(r.newest, false)},
        {QStringLiteral("lag_ms"), opt(r.lagMs, false)},
        {QStringLiteral("covered_from"), covered ? QJsonValue(TimeFormat::iso(c.range.from)) : QJsonValue()},
        {QStringLiteral("covered_to"), covered ? QJsonValue(TimeFormat::iso(c.range.to)) : QJsonValue()},
        {QStringLiteral("quality"), c.quality ? QJsonValue(Coverages::qualityName(*c.quality)) : QJsonValue()},
        {QStringLiteral("qualities"), QJsonArray::fromStringList(r.qualities)},
        {QStringLiteral("covered_share"), covered ? QJsonValue(c.share()) : QJsonValue()},
        {QStringLiteral("holes"), int(c.holes.size())},
    };
}

void printTable(QTextStream &out, const QList<std::pair<Instrument, QVector<Row>>> &all)
{
    int width = 10;
    for (const auto &entry : all)
        width = std::max(width, int(entry.first.key().size()));
    const auto line = [&](const QString &instrument, const QString &kind, const QString &newest, const QString &lag, const QString &span,
                          const QString &quality, const QString &share, const QString &holes) {
        out << instrument.leftJustified(width + 2) << kind.leftJustified(19) << newest.leftJustified(21) << lag.rightJustified(11) << "  "
            << span.leftJustified(38) << quality.leftJustified(17) << share.rightJustified(7) << "  " << holes << '\n';
    };
    line(QStringLiteral("instrument"), QStringLiteral("kind"), QStringLiteral("newest row (UTC)"), QStringLiteral("lag"),
         QStringLiteral("coverage (UTC)"), QStringLiteral("quality"), QStringLiteral("covered"), QStringLiteral("holes"));
    for (const auto &[instrument, rows] : all)
        for (const Row &r : rows) {
            const CoverageSummary &c = r.coverage;
            const bool covered = c.range.isValid() && !c.isNone();
            if (!r.applicable && !covered && !r.newest) {
                line(instrument.key(), DataKinds::name(r.kind), QStringLiteral("-"), QStringLiteral("-"), SpotMarket::notApplicable(),
                     QStringLiteral("n/a"), QStringLiteral("-"), QStringLiteral("-"));
                continue;
            }
            line(instrument.key(), DataKinds::name(r.kind), r.newest ? seconds(*r.newest) : QStringLiteral("-"),
                 r.lagMs ? duration(*r.lagMs) : QStringLiteral("-"),
                 covered ? TimeFormat::minute(c.range.from) + QStringLiteral(" .. ") + TimeFormat::minute(c.range.to) : QStringLiteral("never covered"),
                 covered ? r.qualities.join(QLatin1Char('+')) : QStringLiteral("-"),
                 covered ? QStringLiteral("%1%").arg(c.share() * 100.0, 0, 'f', 1) : QStringLiteral("-"),
                 covered ? QString::number(c.holes.size()) : QStringLiteral("-"));
        }
}

} // namespace

int StatusCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Store: an SQLite file or a postgresql:// URI."), QStringLiteral("locator")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument (default: all)."), QStringLiteral("symbol")},
        {QStringLiteral("now"), QStringLiteral("The time lags are measured from (default: the clock)."), QStringLiteral("time")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object.")},
    });
    parse(p, args);
    const StoreLocator store = storeLocator(p);
    const qint64 now = p.isSet(QStringLiteral("now")) ? timeValue(QStringLiteral("now"), p.value(QStringLiteral("now")))
                                                       : QDateTime::currentMSecsSinceEpoch();
    try {
        auto reader = MarketStore::openReadOnly(store).reader();
        QList<Instrument> instruments;
        if (p.isSet(QStringLiteral("instrument")))
            instruments = {resolveInstrument(*reader, p.value(QStringLiteral("instrument")), store)};
        else
            instruments = reader->instruments();
        QList<std::pair<Instrument, QVector<Row>>> all;
        for (const Instrument &i : std::as_const(instruments)) {
            const QVector<CoverageSpan> spans = reader->coverage(i);
            QVector<Row> rows;
            for (DataKind k : kinds) {
                Row r = rowOf(*reader, i, k, spans, now);
                r.applicable = SpotMarket::applies(i, k);
                if (k == DataKind::GroundTruth && !r.newest && r.coverage.isNone())
                    continue; // only simulators have it
                rows << r;
            }
            all.push_back({i, rows});
        }
        QTextStream out(stdout);
        if (p.isSet(QStringLiteral("json"))) {
            QJsonArray list;
            for (const auto &[instrument, rows] : std::as_const(all)) {
                QJsonArray kindsJson;
                for (const Row &r : rows)
                    kindsJson.append(toJson(r));
                list.append(QJsonObject{{QStringLiteral("instrument"), instrument.key()}, {QStringLiteral("kinds"), kindsJson}});
            }
            out << QJsonDocument(QJsonObject{{QStringLiteral("store"), store.display()},
                                             {QStringLiteral("now"), TimeFormat::iso(now)},
                                             {QStringLiteral("instruments"), list}})
                       .toJson(QJsonDocument::Compact)
                << '\n';
        } else if (all.isEmpty()) {
            out << "no instruments in " << store.display() << '\n';
        } else {
            out << store.display() << " at " << seconds(now) << " UTC\n";
            printTable(out, all);
        }
    } catch (const StoreError &e) {
        throw Error(e.message());
    }
    return Ok;
}
