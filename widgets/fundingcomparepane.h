#pragma once

#include "chartpane.h"

#include <QList>

class QCPGraph;

// Funding side by side: every venue of the instrument's underlying (an aggregate's members,
// or the venues beside a single one) as its own step line of the rate per 8 h (each venue's
// interval normalised), a dot at each of its settlements, the OI-weighted mean as a thicker
// line and the spread between the highest and lowest venue as a band. The header reads each
// venue's rate and APR at the cursor, the mean and the spread.
class FundingComparePane : public ChartPane
{
    Q_OBJECT
public:
    FundingComparePane(TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);

    // The colour a venue's line is drawn in (fixed per venue, so it reads the same everywhere).
    static QColor venueColor(const QString &exchange, int index);
    // The rate per 8 h in force at t from a venue's settlements (the one whose interval holds
    // t: the first settlement at or after t), or nullopt outside them.
    static std::optional<double> rateAt(const VenueSeries &venue, qint64 t);
    // Highest minus lowest venue rate per 8 h at t (needs two venues with a rate).
    static std::optional<double> spreadAt(const MarketWindow &window, qint64 t);

protected:
    void refill(const MarketWindow &window) override;
    QCPRange valueRange(const QCPRange &keys) const override;
    void readout(std::optional<qint64> t, ReadoutBar::Segments &out) const override;
    QString valueLabel(double value) const override;
    bool hasPaneData() const override;
    QString emptyText() const override;
    void themeChanged() override;

private:
    void clearVenueGraphs();

    QList<QCPGraph *> m_lines;    // per venue: the settled rate per 8 h over the interval it paid for
    QList<QCPGraph *> m_marks;    // per venue: its settlement times
    QList<QCPGraph *> m_running;  // per venue: the running (predicted) rate after its last settlement
    QCPGraph *m_mean;
    QCPGraph *m_spreadHigh;
    QCPGraph *m_spreadLow;
    ValueSpan m_values;
};
