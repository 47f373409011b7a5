#pragma once

#include "domain/candle.h"

#include <QVector>
#include <optional>

// Folds a time-ordered stream of trades or price samples into 1m bar snapshots, for sources
// that see ticks (trade prints, mark-price updates) rather than bars. Each add() updates the
// open minute; take() returns the bars touched since the last take(), the open one included
// as a partial snapshot, which the store upserts over the previous snapshot.
class CandleBuilder
{
public:
    // takerBuy: the aggressor bought (Binance aggTrade m == false).
    void addTrade(qint64 ts, double price, double qty, bool takerBuy);
    void addSample(qint64 ts, double price); // a price without volume (mark price)
    QVector<Candle> take();
    std::optional<Candle> current() const { return m_open; }

private:
    void roll(qint64 minute, double price);

    std::optional<Candle> m_open;
    QVector<Candle> m_closed;
    bool m_dirty = false;
};
