#include "coveragecommand.h"


#include "clisupport.h"
#include "domain/spotmarket.h"
#include "domain/timeformat.h"
#include "storage/marketstore.h"
#include "storage/storeerror.h"
#include "storage/storereader.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTextStream>

using namespace CliSupport;

namespace {

constexpr int holesShown = 8;
constexpr DataKind kinds[] = {DataKind::Candles, DataKind::MarkCandles, DataKind::Funding, DataKind::PredictedFunding,
                              DataKind::OpenInterest, DataKind::Liquidations, DataKind::GroundTruth, DataKind::TakerBuy};

QString length(qint64 ms)
{
    const double minutes = double(ms) / 60'000.0;
    if (minutes < 120)
        return QStringLiteral("%1 min").arg(minutes, 0, 'f', minutes < 10 ? 1 : 0);
    if (minutes < 48 * 60)
        return QStringLiteral("%1 h").arg(minutes / 60, 0, 'f', 1);
    return QStringLiteral("%1 days").arg(minutes / 1440, 0, 'f', 1);
}

QString resolution(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("every event");
    if (ms < 60'000)
        return QStringLiteral("%1 s").arg(double(ms) / 1000.0);
    for (Timeframe tf : Timeframes::all)
        if (Timeframes::ms(tf) == ms)
            return Timeframes::name(tf);
    if (ms % 3'600'000 == 0)
        return QStringLiteral("%1h").arg(ms / 3'600'000);
    return length(ms);
}

struct KindReport
{
    DataKind kind;
    CoverageSummary summary; // over the covered extent of the kind
    QStringList qualities;
    TimeRange rows;          // what the series holds, covered or not
    bool applicable = true;  // false: a series a spot market cannot have (open interest, funding, liquidations)
};

KindReport report(StoreReader &reader, const Instrument &instrument, DataKind kind, const QVector<CoverageSpan> &spans)
{
    const Coverages::KindCoverage c = Coverages::ofKind(spans, kind);
    return {kind, c.summary, c.qualities, reader.extent(instrument, kind)};
}

QJsonObject toJson(const KindReport &k)
{
    QJsonObject o;
    o[QStringLiteral("kind")] = DataKinds::name(k.kind);
    o[QStringLiteral("applicable")] = k.applicable;
    if (!k.applicable)
        o[QStringLiteral("note")] = SpotMarket::notApplicable(); // not a hole: the series cannot exist
    const CoverageSummary &s = k.summary;
    o[QStringLiteral("from")] = s.range.isValid() ? QJsonValue(TimeFormat::iso(s.range.from)) : QJsonValue();
    o[QStringLiteral("to")] = s.range.isValid() ? QJsonValue(TimeFormat::iso(s.range.to)) : QJsonValue();
    o[QStringLiteral("quality")] = s.quality ? QJsonValue(Coverages::qualityName(*s.quality)) : QJsonValue();
    o[QStringLiteral("qualities")] = QJsonArray::fromStringList(k.qualities);
    o[QStringLiteral("finest_resolution_ms")] = s.finestResolutionMs ? QJsonValue(double(*s.finestResolutionMs)) : QJsonValue();
    o[QStringLiteral("covered_share")] = s.range.isValid() ? QJsonValue(s.share()) : QJsonValue();
    QJsonArray holes;
    for (const TimeRange &h : s.holes)
        holes.append(QJsonObject{{QStringLiteral("from"), TimeFormat::iso(h.from)}, {QStringLiteral("to"), TimeFormat::iso(h.to)}});
    o[QStringLiteral("holes")] = holes;
    o[QStringLiteral("rows_from")] = k.rows.isValid() ? QJsonValue(TimeFormat::iso(k.rows.from)) : QJsonValue();
    o[QStringLiteral("rows_to")] = k.rows.isValid() ? QJsonValue(TimeFormat::iso(k.rows.to)) : QJsonValue();
    return o;
}

void printTable(QTextStream &out, const Instrument &instrument, const QVector<KindReport> &reports)
{
    out << instrument.key() << '\n';
    const auto row = [&out](const QString &kind, const QString &span, const QString &quality, const QString &finest, const QString &share,
                            const QString &holes) {
        out << "  " << kind.leftJustified(18) << span.leftJustified(38) << quality.leftJustified(17) << finest.leftJustified(13)
            << share.rightJustified(8) << "  " << holes << '\n';
    };
    row(QStringLiteral("kind"), QStringLiteral("span (UTC)"), QStringLiteral("quality"), QStringLiteral("finest"), QStringLiteral("covered"),
        QStringLiteral("holes"));
    for (const KindReport &k : reports) {
        const CoverageSummary &s = k.summary;
        const QString name = DataKinds::name(k.kind);
        if (s.isNone() && !k.applicable && !k.rows.isValid()) {
            row(name, QStringLiteral("-"), QStringLiteral("n/a"), QString(), QString(), SpotMarket::notApplicable());
            continue;
        }
        if (s.isNone()) {
            if (k.rows.isValid() && k.kind == DataKind::TakerBuy)
                row(name, TimeFormat::minute(k.rows.from) + QStringLiteral(" .. ") + TimeFormat::minute(k.rows.to), QStringLiteral("unknown"), QString(), QString(),
                    QStringLiteral("candles without taker-buy volume (Bybit and OKX klines have none): taker flow unknown"));
            else if (k.rows.isValid())
                row(name, TimeFormat::minute(k.rows.from) + QStringLiteral(" .. ") + TimeFormat::minute(k.rows.to), QStringLiteral("unknown"), QString(), QString(),
                    QStringLiteral("rows stored without coverage (before coverage was recorded): import or backfill again to record it"));
            else
                row(name, QStringLiteral("-"), QStringLiteral("none"), QString(), QString(), QStringLiteral("never covered: unknown"));
            continue;
        }
        QString finest = resolution(*s.finestResolutionMs);
        if (s.coarsestResolutionMs && *s.coarsestResolutionMs != *s.finestResolutionMs)
            finest += QStringLiteral("..") + resolution(*s.coarsestResolutionMs);
        qint64 missing = 0;
        for (const TimeRange &h : s.holes)
            missing += h.span();
        row(name, TimeFormat::minute(s.range.from) + QStringLiteral(" .. ") + TimeFormat::minute(s.range.to), k.qualities.join(QLatin1Char('+')), finest,
            QStringLiteral("%1%").arg(s.share() * 100.0, 0, 'f', 1),
            s.holes.isEmpty() ? QStringLiteral("none") : QStringLiteral("%1 (%2 in all)").arg(s.holes.size()).arg(length(missing)));
        for (qsizetype i = 0; i < s.holes.size() && i < holesShown; ++i)
            out << "      hole " << TimeFormat::minute(s.holes[i].from) << " .. " << TimeFormat::minute(s.holes[i].to) << "  (" << length(s.holes[i].span()) << ")\n";
        if (s.holes.size() > holesShown)
            out << "      ... and " << (s.holes.size() - holesShown) << " more holes\n";
    }
}

} // namespace

int CoverageCommand::run(const QStringList &args)
{
    QCommandLineParser p;
    p.addOptions({
        {QStringLiteral("db"), QStringLiteral("Database file."), QStringLiteral("path")},
        {QStringLiteral("instrument"), QStringLiteral("Instrument (default: all)."), QStringLiteral("symbol")},
        {QStringLiteral("json"), QStringLiteral("Print one JSON object.")},
    });
    parse(p, args);
    const StoreLocator store = storeLocator(p);
    try {
        auto reader = MarketStore::openExisting(store).reader();
        QList<Instrument> instruments;
        if (p.isSet(QStringLiteral("instrument")))
            instruments = {resolveInstrument(*reader, p.value(QStringLiteral("instrument")), store)};
        else
            instruments = reader->instruments();
        QTextStream out(stdout);
        QJsonArray all;
        for (const Instrument &i : std::as_const(instruments)) {
            const QVector<CoverageSpan> spans = reader->coverage(i);
            QVector<KindReport> reports;
            for (DataKind k : kinds) {
                KindReport r = report(*reader, i, k, spans);
                r.applicable = SpotMarket::applies(i, k);
                if (k == DataKind::GroundTruth && r.summary.isNone() && !r.rows.isValid())
                    continue; // only simulators have it
                reports << r;
            }
            if (p.isSet(QStringLiteral("json"))) {
                QJsonArray list;
                for (const KindReport &r : std::as_const(reports))
                    list.append(toJson(r));
                all.append(QJsonObject{{QStringLiteral("instrument"), i.key()}, {QStringLiteral("kinds"), list}});
            } else {
                printTable(out, i, reports);
            }
        }
        if (p.isSet(QStringLiteral("json")))
            out << QJsonDocument(QJsonObject{{QStringLiteral("instruments"), all}}).toJson(QJsonDocument::Compact) << '\n';
        else if (instruments.isEmpty())
            out << "no instruments in " << store.display() << '\n';
    } catch (const StoreError &e) {
        throw Error(e.message());
    }
    return Ok;
}
