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

QString shown(const QJsonValue &v)
{
    if (v.isString())
        return QStringLiteral("\"%1\"").arg(v.toString().left(40));
    if (v.isDouble())
        return QString::number(v.toDouble());
    return v.isNull() ? QStringLiteral("null") : v.isUndefined() ? QStringLiteral("missing") : QStringLiteral("not a number");
}

bool need(const QJsonObject &o, const char *name, int row, double *out, QString *error)
{
    const QJsonValue v = o.value(QLatin1String(name));
    const auto n = JsonNumbers::number(v);
    if (!n || !std::isfinite(*n))
        return fail(error, QStringLiteral("position-tiers row %1: field %2 is %3, expected a number (a decimal string such as \"0.004\")")
                               .arg(row)
                               .arg(QLatin1String(name), shown(v)));
    *out = *n;
    return true;
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
