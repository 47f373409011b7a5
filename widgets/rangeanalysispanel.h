#pragma once

#include "analysis/rangeanalysis.h"
#include "charttheme.h"
#include "storage/storelocator.h"

#include <QMap>
#include <QWidget>

class MarketWindowModel;
class QLabel;
class QPushButton;
class RangeAnalysisModel;
class RangeChip;
class TimeSync;

// The Range analysis dock: the selected range as a draggable chip, its verdict with the
// reasons, and the figures behind them. Follows TimeSync's selection; the numbers are
// computed off the GUI thread.
class RangeAnalysisPanel : public QWidget
{
    Q_OBJECT
public:
    RangeAnalysisPanel(const StoreLocator &store, TimeSync *sync, MarketWindowModel *market, QWidget *parent = nullptr);

    void setTheme(const ChartTheme &theme);
    RangeAnalysisModel *analysisModel() const { return m_analysis; }
    RangeChip *chip() const { return m_chip; }
    QString figure(const QString &name) const; // displayed text of one figure (tests)
    QString verdictText() const;
    // The per-venue breakdown of an aggregate as shown (plain text; empty for one venue).
    QString venueText() const;

    static QColor verdictColor(RangeAnalysis::Verdict v);

signals:
    void compareRequested();
    void exportCsvRequested();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitReasons();
    void onSelection(TimeRange range);
    void show(const RangeAnalysis::Result &r);
    void addFigure(const QString &name);

    StoreLocator m_store;
    TimeSync *m_sync;
    MarketWindowModel *m_market;
    RangeAnalysisModel *m_analysis;
    RangeChip *m_chip;
    QLabel *m_verdict;
    QLabel *m_reasons;
    QMap<QString, QLabel *> m_figures;
    QLabel *m_venues;
    QPushButton *m_compare;
    QPushButton *m_csv;
    ChartTheme m_theme;
};
