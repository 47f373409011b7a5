#pragma once

#include "charttheme.h"

#include <QWidget>

class LiquidationTapeModel;
class MarketWindowModel;
class QLabel;
class QTableView;
class TimeSync;

// The tape: the newest liquidations up to the view's right edge, newest first.
class LiquidationTape : public QWidget
{
    Q_OBJECT
public:
    LiquidationTape(MarketWindowModel *model, TimeSync *sync, QWidget *parent = nullptr);
    void setTheme(const ChartTheme &theme);
    QTableView *view() const { return m_view; }
    QSize sizeHint() const override { return {340, 400}; }
    LiquidationTapeModel *tapeModel() const { return m_tape; }

private:
    void refresh();

    MarketWindowModel *m_model;
    TimeSync *m_sync;
    LiquidationTapeModel *m_tape;
    QTableView *m_view;
    QLabel *m_note;
};
