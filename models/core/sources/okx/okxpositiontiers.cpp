#include "okxpositiontiers.h"

#include "sources/exchange/jsonnumbers.h"

#include <QJsonObject>

namespace OkxPositionTiers {

namespace {

bool fail(QString *error, const QString &why)
{
    *error = why;
    return false;
}

// A required number field of row `row`: a JSON number or a decimal string.
bool need(const QJsonObject &o, const char *name, int row, double *out, QString *error)
{
    return JsonNumbers::required(o, name, QStringLiteral("position-tiers"), row, "0.004", out, error);
}

} // namespace

QString familyOf(const QString &instId)
{
    return instId.endsWith(QLatin1String("-SWAP")) ? instId.chopped(5) : instId;
}

bool parse(const QJsonArray &data, const QString &instId, const OkxContract &contract, qint64 fetchedMs, QVector<MarginTier> *tiers,
           bool *inCoins, QString *error)
{
    if (!contract.isValid())
        return fail(error, QStringLiteral("position-tiers for %1: no contract value known (public/instruments gave no ctVal)").arg(instId));
    const QString family = familyOf(instId);
    QVector<MarginTier> out;
    int row = 0;
    for (const QJsonValue &v : data) {
        ++row;
        if (!v.isObject())
            return fail(error, QStringLiteral("position-tiers row %1 is not an object").arg(row));
        const QJsonObject o = v.toObject();
        const QString rowFamily = o.value(QLatin1String("instFamily")).toString();
        const QString rowUly = o.value(QLatin1String("uly")).toString();
        const QString rowId = o.value(QLatin1String("instId")).toString();
        if ((!rowFamily.isEmpty() && rowFamily != family) || (rowFamily.isEmpty() && !rowUly.isEmpty() && rowUly != family)
            || (!rowId.isEmpty() && rowId != instId))
            continue;
        MarginTier t;
        double tier = 0, minSz = 0, maxSz = 0;
        if (!need(o, "tier", row, &tier, error) || !need(o, "minSz", row, &minSz, error) || !need(o, "maxSz", row, &maxSz, error)
            || !need(o, "mmr", row, &t.mmr, error) || !need(o, "maxLever", row, &t.maxLeverage, error))
            return false;
        if (tier < 1 || tier != std::floor(tier) || minSz < 0 || maxSz <= minSz)
            return fail(error, QStringLiteral("position-tiers row %1: tier %2 from %3 to %4 contracts (expected a tier number and minSz < maxSz)")
                                   .arg(row)
                                   .arg(tier)
                                   .arg(minSz)
                                   .arg(maxSz));
        // Coins (linear) or USD (inverse) per contract: the face value.
        t.floor = minSz * contract.faceValue();
        t.cap = maxSz * contract.faceValue();
        t.fetchedMs = fetchedMs;
        out.push_back(t);
    }
    if (out.isEmpty())
        return fail(error, QStringLiteral("position-tiers lists no tiers for %1 (family %2)").arg(instId, family));
    MarginTiers::normalise(out); // minSz is one contract above the previous maxSz: contiguous
    if (const QString problem = MarginTiers::check(out); !problem.isEmpty())
        return fail(error, QStringLiteral("position-tiers for %1: %2").arg(instId, problem));
    *tiers = out;
    *inCoins = !contract.inverse;
    return true;
}

} // namespace OkxPositionTiers
