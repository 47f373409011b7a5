#pragma once

#include "analysis/rangeanalysis.h"
#include "rangemime.h"

#include <QWidget>

class CompareModel;
class QLabel;
class QTableWidget;

// Ranges side by side: each range dropped here (or sent with "Add to Compare") becomes a
// column of its analysis, so this week's flush can be read against last month's. The columns
// live in a CompareModel; this panel only shows them (fill() writes one column's figures).
class ComparePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ComparePanel(QWidget *parent = nullptr);

    CompareModel *model() const { return m_model; }
    void addRange(const RangeMime::Payload &payload);
    int columnCount() const;
    QString cell(const QString &row, int column) const; // tests
    QTableWidget *table() const { return m_table; }

signals:
    void columnsChanged(int count);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void onColumnAdded(int column);
    void onColumnChanged(int column);
    void onColumnRemoved(int column);
    void fill(int column, const RangeAnalysis::Result &r);

    CompareModel *m_model;
    QTableWidget *m_table;
    QLabel *m_hint;
};
