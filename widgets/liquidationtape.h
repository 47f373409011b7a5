#pragma once

#include "charttheme.h"

#include <QTimer>
#include <QWidget>

class LiquidationTapeModel;
class MarketWindowModel;
class QLabel;
class QTableView;
class TimeSync;

// The tape: the newest liquidations up to the view's right edge, newest first. Follows the
// view once it settles (a wheel burst is one refresh) and only while it is on screen.
class LiquidationTape : public QWidget
{
    Q_OBJECT
public:
    LiquidationTape(MarketWindowModel *model, TimeSync *sync, QWidget *parent = nullptr);
    void setTheme(const ChartTheme &theme);
    QTableView *view() const { return m_view; }
    QSize sizeHint() const override { return {340, 400}; }
    LiquidationTapeModel *tapeModel() const { return m_tape; }

    // Refreshes now (tests; otherwise it follows the view after a short pause).
    void refresh();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void scheduleRefresh();

    MarketWindowModel *m_model;
    TimeSync *m_sync;
    LiquidationTapeModel *m_tape;
    QTableView *m_view;
    QLabel *m_note;
    QTimer m_settle;
    bool m_dirty = true;
    bool m_sized = false;
};
