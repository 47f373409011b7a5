#pragma once

#include "chartpane.h"

class QCPBars;
class QCPGraph;

// Funding: each settled rate as a bar over the interval it paid for (green when longs pay,
// red when shorts pay), the predicted rate of the running interval as a step line, and at
// the cursor the rate, its annualised value and the money it moved (rate x OI).
class FundingPane : public ChartPane
{
    Q_OBJECT
public:
    FundingPane(TimeSync *sync, MarketWindowModel *model, QWidget *parent = nullptr);

protected:
    void refill(const MarketWindow &window) override;
    QCPRange valueRange(const QCPRange &keys) const override;
    void readout(std::optional<qint64> t, ReadoutBar::Segments &out) const override;
    QString valueLabel(double value) const override;
    bool hasPaneData() const override;
    QString emptyText() const override;
    void themeChanged() override;

private:
    QCPBars *m_positive;
    QCPBars *m_negative;
    QCPGraph *m_predicted;
};
