#pragma once

#include "importformat.h"
#include "rowparsers.h"

#include <QByteArray>

// Where a file's rows must lie and whose they must be, beyond what each field's syntax says:
// a data.binance.vision dump covers the day or month in its name (a bar of 2200 inside a
// 2023-02 file is damage), never the future, and holds one symbol (metrics rows naming
// BTCUSDT inside LINKUSDT-metrics-... would replace LINK's open interest). Our own CSV
// exports carry no period: any time from 2009 to 2100 (domain/plausibility.h).
class RowScreen
{
public:
    RowScreen() = default;
    RowScreen(const ImportFormat &format, qint64 nowMs);

    bool inPeriod(qint64 ts, int column, RowProblem *problem) const;
    // The symbol column of a row (metrics) names the file's own symbol.
    bool ownSymbol(QByteArrayView symbol, int column, RowProblem *problem) const;

    TimeRange allowed() const { return m_allowed; }

private:
    TimeRange m_allowed{0, 0};
    QString m_what; // "the file's period, 2023-02-01 to 2023-03-01"
    QByteArray m_symbol;
};
