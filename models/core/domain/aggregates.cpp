#include "aggregates.h"

#include "underlying.h"

#include <QSet>
#include <QStringList>
#include <algorithm>

namespace {

int venueRank(const QString &exchange)
{
    static const QStringList order{QStringLiteral("BINANCE"), QStringLiteral("BYBIT"), QStringLiteral("OKX")};
    const int k = int(order.indexOf(exchange));
    return k < 0 ? int(order.size()) : k;
}

} // namespace

bool Aggregates::isPerpetual(const Instrument &i)
{
    if (i.exchange == QLatin1String("BINANCE") || i.exchange == QLatin1String("BYBIT"))
        return !i.symbol.contains(QLatin1Char('_')) && !i.symbol.contains(QLatin1Char('-')) && !Underlying::of(i).isEmpty();
    if (i.exchange == QLatin1String("OKX"))
        return i.symbol.endsWith(QLatin1String("-SWAP")) && !Underlying::of(i).isEmpty();
    return false;
}

QList<Instrument> Aggregates::defaultMembers(const Instrument &aggregate, const QList<Instrument> &stored)
{
    QList<Instrument> out;
    for (const Instrument &i : stored)
        if (isPerpetual(i) && Underlying::of(i) == aggregate.symbol)
            out.push_back(i);
    std::stable_sort(out.begin(), out.end(), [](const Instrument &a, const Instrument &b) {
        const int ra = venueRank(a.exchange), rb = venueRank(b.exchange);
        return ra != rb ? ra < rb : a.key() < b.key();
    });
    return out;
}

QList<Instrument> Aggregates::available(const QList<Instrument> &stored)
{
    QHash<QString, int> perps;
    QStringList order;
    for (const Instrument &i : stored)
        if (isPerpetual(i)) {
            const QString u = Underlying::of(i);
            if (!perps.contains(u))
                order << u;
            ++perps[u];
        }
    order.sort();
    QList<Instrument> out;
    for (const QString &u : std::as_const(order))
        if (perps.value(u) >= 2)
            out.push_back(of(u));
    return out;
}

QString Aggregates::format(const QList<Instrument> &members)
{
    QStringList keys;
    for (const Instrument &i : members)
        keys << i.key();
    return keys.join(QLatin1Char(','));
}

QList<Instrument> Aggregates::parse(const QString &text, QString *error)
{
    QList<Instrument> out;
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const Instrument i = Instrument::parse(part, {});
        if (!i.isValid() || !part.contains(QLatin1Char(':'))) {
            if (error && error->isEmpty())
                *error = QStringLiteral("'%1' is not a VENUE:SYMBOL instrument").arg(part.trimmed());
            continue;
        }
        out.push_back(i);
    }
    return out;
}

QString Aggregates::validate(const Instrument &aggregate, const QList<Instrument> &members)
{
    if (!isAggregate(aggregate))
        return QStringLiteral("%1 is not an aggregate (ALL:<underlying>)").arg(aggregate.key());
    if (members.isEmpty())
        return QStringLiteral("an aggregate needs at least one member");
    QSet<Instrument> seen;
    for (const Instrument &i : members) {
        if (!isPerpetual(i))
            return QStringLiteral("%1 is not a venue perpetual (BINANCE/BYBIT linear, OKX -SWAP)").arg(i.key());
        if (Underlying::of(i) != aggregate.symbol)
            return QStringLiteral("%1 has the underlying %2, not %3").arg(i.key(), Underlying::of(i), aggregate.symbol);
        if (seen.contains(i))
            return QStringLiteral("%1 is listed twice").arg(i.key());
        seen.insert(i);
    }
    return {};
}
