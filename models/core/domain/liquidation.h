#pragma once

#include <QMetaType>
#include <QString>
#include <QtGlobal>
#include <optional>

// One forced close. side is the side of the liquidated *position*: a long liquidation is a
// forced sell. (Binance's forceOrder carries the order side, SELL = long liquidated; the
// adapters convert at the boundary.)
struct Liquidation
{
    enum class Side : int { Long = 0, Short = 1 };

    qint64 ts = 0;
    int seq = 0; // orders events within one millisecond; (ts, seq) is the natural key
    Side side = Side::Long;
    double price = 0;
    double qty = 0;
    // True when the print is (or would be) in the exchange's public feed, which shows at most
    // one liquidation per symbol per second. The simulator stores its full tape and marks the
    // subset a Binance-style feed would have shown.
    bool inExchangeFeed = true;

    double notional() const { return price * qty; }

    static QString sideName(Side s) { return s == Side::Long ? QStringLiteral("long") : QStringLiteral("short"); }
    static std::optional<Side> parseSide(const QString &text);

    friend bool operator==(const Liquidation &, const Liquidation &) = default;
};

Q_DECLARE_METATYPE(Liquidation)
