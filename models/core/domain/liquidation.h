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
    // Tells events within one millisecond apart; (ts, seq) is the natural key. Sources that
    // see the whole tape in order (the simulator, an import) count 0, 1, ...; live streams
    // use contentSeq(), since prints of one millisecond may come in several messages.
    int seq = 0;
    Side side = Side::Long;
    double price = 0;
    double qty = 0;
    // True when the print is (or would be) in the exchange's public feed, which shows at most
    // one liquidation per symbol per second. The simulator stores its full tape and marks the
    // subset a Binance-style feed would have shown.
    bool inExchangeFeed = true;

    double notional() const { return price * qty; }

    // A seq that depends on what the print says, not on the message it came in: a replayed
    // message keys its prints as before (the upsert changes nothing) while another message's
    // prints of the same millisecond get other keys (a per-message count gave both seq 0, so
    // the second replaced the first). occurrence counts identical prints within one message
    // (both are real). Deterministic across runs and builds (FNV-1a over the bits), in
    // [0, 2^20) as the importer's row keys need; two different prints of one millisecond
    // collide with a chance of 2^-20.
    static int contentSeq(Side side, double price, double qty, int occurrence);

    static QString sideName(Side s) { return s == Side::Long ? QStringLiteral("long") : QStringLiteral("short"); }
    static std::optional<Side> parseSide(const QString &text);

    friend bool operator==(const Liquidation &, const Liquidation &) = default;
};

Q_DECLARE_METATYPE(Liquidation)
