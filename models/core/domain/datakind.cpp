#include "datakind.h"

#include <array>

namespace {
struct Named
{
    DataKind kind;
    const char *name;
};
constexpr std::array<Named, 8> names = {{
    {DataKind::Candles, "candles"},
    {DataKind::MarkCandles, "mark"},
    {DataKind::Funding, "funding"},
    {DataKind::PredictedFunding, "predicted_funding"},
    {DataKind::OpenInterest, "oi"},
    {DataKind::Liquidations, "liquidations"},
    {DataKind::GroundTruth, "ground_truth"},
    {DataKind::TakerBuy, "taker_buy"},
}};
} // namespace

namespace DataKinds {

QString name(DataKind kind)
{
    for (const auto &n : names)
        if (n.kind == kind)
            return QString::fromLatin1(n.name);
    return {};
}

std::optional<DataKind> parse(const QString &text)
{
    for (const auto &n : names)
        if (text.trimmed().toLower() == QLatin1String(n.name))
            return n.kind;
    return std::nullopt;
}

} // namespace DataKinds
