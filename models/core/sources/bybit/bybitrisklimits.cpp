#include "bybitrisklimits.h"

#include "sources/exchange/jsonnumbers.h"

#include <QJsonObject>

namespace BybitRiskLimits {

namespace {

bool fail(QString *error, const QString &why)
{
    *error = why;
    return false;
}

// A required number field of row `row`: a JSON number or a decimal string.
bool need(const QJsonObject &o, const char *name, int row, double *out, QString *error)
{
    return JsonNumbers::required(o, name, QStringLiteral("risk-limit"), row, "0.005", out, error);
}

} // namespace

bool parse(const QJsonArray &list, const QString &symbol, qint64 fetchedMs, QVector<MarginTier> *tiers, QString *error)
{
    QVector<MarginTier> out;
    double scale = 0; // 1: rates are fractions; 0.01: percent
    int row = 0;
    for (const QJsonValue &v : list) {
        ++row;
        if (!v.isObject())
            return fail(error, QStringLiteral("risk-limit row %1 is not an object").arg(row));
        const QJsonObject o = v.toObject();
        const QString rowSymbol = o.value(QLatin1String("symbol")).toString();
        if (!rowSymbol.isEmpty() && rowSymbol.compare(symbol, Qt::CaseInsensitive) != 0)
            continue;
        MarginTier t;
        double mm = 0, im = 0;
        if (!need(o, "riskLimitValue", row, &t.cap, error) || !need(o, "maintenanceMargin", row, &mm, error)
            || !need(o, "initialMargin", row, &im, error) || !need(o, "maxLeverage", row, &t.maxLeverage, error))
            return false;
        if (!(t.cap > 0) || !(mm > 0) || !(im > 0) || !(t.maxLeverage >= 1))
            return fail(error, QStringLiteral("risk-limit row %1: riskLimitValue %2, maintenanceMargin %3, initialMargin %4, maxLeverage %5: "
                                              "expected positive values and a leverage of at least 1")
                                   .arg(row)
                                   .arg(t.cap)
                                   .arg(mm)
                                   .arg(im)
                                   .arg(t.maxLeverage));
        const double product = im * t.maxLeverage;
        const double rowScale = product > 0.5 && product < 2 ? 1.0 : product > 50 && product < 200 ? 0.01 : 0.0;
        if (rowScale == 0)
            return fail(error, QStringLiteral("risk-limit row %1: initialMargin %2 does not match maxLeverage %3 as a rate or a percentage "
                                              "(expected about 1 / maxLeverage)")
                                   .arg(row)
                                   .arg(im)
                                   .arg(t.maxLeverage));
        if (scale != 0 && rowScale != scale)
            return fail(error, QStringLiteral("risk-limit row %1 gives its rates as %2, the rows before it as %3")
                                   .arg(row)
                                   .arg(rowScale == 1 ? QStringLiteral("fractions") : QStringLiteral("percent"),
                                        scale == 1 ? QStringLiteral("fractions") : QStringLiteral("percent")));
        scale = rowScale;
        t.mmr = mm * scale;
        const QJsonValue deduction = o.value(QLatin1String("mmDeduction"));
        if (!deduction.isUndefined() && !deduction.isNull() && !(deduction.isString() && deduction.toString().isEmpty())) {
            const auto d = JsonNumbers::number(deduction);
            if (!d || !std::isfinite(*d) || *d < 0)
                return fail(error, QStringLiteral("risk-limit row %1: field mmDeduction is %2, expected a non-negative number or \"\"")
                                       .arg(row)
                                       .arg(JsonNumbers::shown(deduction)));
            t.cum = *d;
        }
        t.fetchedMs = fetchedMs;
        out.push_back(t);
    }
    if (out.isEmpty())
        return fail(error, QStringLiteral("risk-limit lists no tiers for %1").arg(symbol));
    for (qsizetype i = 1; i < out.size(); ++i)
        for (qsizetype j = 0; j < i; ++j)
            if (out[i].cap == out[j].cap)
                return fail(error, QStringLiteral("risk-limit lists riskLimitValue %1 twice").arg(out[i].cap));
    MarginTiers::normalise(out);
    if (const QString problem = MarginTiers::check(out); !problem.isEmpty())
        return fail(error, QStringLiteral("risk-limit for %1: %2").arg(symbol, problem));
    *tiers = out;
    return true;
}

} // namespace BybitRiskLimits
