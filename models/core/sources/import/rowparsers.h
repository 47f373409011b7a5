#pragma once

#include "domain/candle.h"
#include "domain/fundingsample.h"
#include "domain/liquidation.h"
#include "domain/openinterestsample.h"

#include <QByteArrayView>
#include <QString>
#include <optional>

class CsvFields;

// What is wrong with one row: the column (index into the kind's header) and what it should
// have held. The importer turns it into "file:line:field: expected ..., got '...'".
struct RowProblem
{
    int column = -1; // -1: the row as a whole (e.g. a wrong field count)
    QString expected;
};

// Epoch time column whose unit is decided by the first value of the file: >= 10^15 is
// microseconds (Binance spot since 2025), >= 10^12 milliseconds. Every later value must
// read as a plausible time in the same unit.
class TimeColumn
{
public:
    std::optional<qint64> toMs(qint64 raw);
    bool isMicroseconds() const { return m_divisor == 1000; }
    bool isDecided() const { return m_divisor != 0; }
    // What a value that is neither unit looks like (" (it reads as epoch seconds)"), or empty.
    static QString unitGuess(qint64 raw);

private:
    qint64 m_divisor = 0;
};

struct AggTrade
{
    qint64 id = 0;
    qint64 ts = 0;
    double price = 0;
    double qty = 0;
    bool takerBuy = false;
};

// One parser per row layout. Each returns false with *problem set when the row is unusable;
// checks mirror StoreWriter::validate so an accepted row can never sink a whole batch.
namespace RowParsers {
// Binance klines/markPriceKlines; *intervalMs = close_time + 1 - open_time.
bool kline(const CsvFields &f, TimeColumn &time, Candle *out, qint64 *intervalMs, RowProblem *problem);
bool aggTrade(const CsvFields &f, TimeColumn &time, AggTrade *out, RowProblem *problem);
bool fundingRate(const CsvFields &f, TimeColumn &time, FundingSample *out, RowProblem *problem);
// *empty: the row has a time but no open interest (Binance leaves some rows blank).
bool metrics(const CsvFields &f, OpenInterestSample *out, QByteArrayView *symbol, bool *empty, RowProblem *problem);
// takerBuyKnown: where given, an empty taker_buy_volume (our export of a venue whose klines
// have none) is accepted as unknown (0 in the bar, *takerBuyKnown = false); without it, refused.
bool ownCandle(const CsvFields &f, Candle *out, RowProblem *problem, bool *takerBuyKnown = nullptr);
bool ownFunding(const CsvFields &f, FundingSample *out, RowProblem *problem);
bool ownOpenInterest(const CsvFields &f, OpenInterestSample *out, RowProblem *problem);
bool ownLiquidation(const CsvFields &f, Liquidation *out, RowProblem *problem);

// "2026-08-20 00:35:00" (UTC, no zone) -> epoch ms; also accepts a 'T' separator.
std::optional<qint64> utcDateTime(QByteArrayView text);
} // namespace RowParsers
